package dev.gantry.engine.chat.jinja;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateTest {

    private static Map<String, Object> context() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("b", 2);
        d.put("a", 1);
        return Map.of(
                "messages", List.of(Map.of("role", "system", "content", "S"), Map.of("role", "user", "content", "Hi"),
                        Map.of("role", "assistant", "content", "Yo")),
                "d", d,
                "xs", List.of(3, 1, 2),
                "s", "  Hello World  ");
    }

    /** Expected outputs are Python Jinja2 3.1.6's, with trim_blocks and lstrip_blocks, for the same context. */
    static Stream<Arguments> jinja2Renderings() {
        return Stream.of(
                Arguments.of("{% for m in messages %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }}|{% endfor %}",
                        "10TrueFalse33|21FalseFalse32|32FalseTrue31|"),
                Arguments.of("{% for m in messages %}{{ loop.previtem.role if loop.previtem else '-' }}>{{ loop.nextitem.role if loop.nextitem else '-' }} {% endfor %}",
                        "->user system>assistant user>- "),
                Arguments.of("{% for m in messages if m.role != 'system' %}{{ m.role }}{{ loop.index }} {% endfor %}",
                        "user1 assistant2 "),
                Arguments.of("{% for x in [] %}x{% else %}empty{% endfor %}",
                        "empty"),
                Arguments.of("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
                        "b=2;a=1;"),
                Arguments.of("{% for k, v in d|dictsort %}{{ k }}={{ v }};{% endfor %}",
                        "a=1;b=2;"),
                Arguments.of("{% for x in xs|sort %}{{ x }}{% endfor %}|{{ xs|sort(reverse=true)|join(',') }}",
                        "123|3,2,1"),
                Arguments.of("{% for x in range(5) %}{% if x == 1 %}{% continue %}{% endif %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}",
                        "02"),
                Arguments.of("{% set ns = namespace(n=0) %}{% for x in xs %}{% set ns.n = ns.n + x %}{% endfor %}{{ ns.n }}",
                        "6"),
                Arguments.of("{% set y = 1 %}{% for x in xs %}{% set y = x %}{% endfor %}{{ y }}",
                        "1"),
                Arguments.of("{% set body %}  inner {{ 1 + 1 }}  {% endset %}[{{ body|trim }}]",
                        "[inner 2]"),
                Arguments.of("{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', greeting='Hi') }}",
                        "Hello, Ann! Hi, Bob!"),
                Arguments.of("{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}body{% endcall %}",
                        "<body>"),
                Arguments.of("{% macro row(x) %}[{{ caller(x * 2) }}]{% endmacro %}{% call(v) row(21) %}{{ v }}{% endcall %}",
                        "[42]"),
                Arguments.of("{% filter upper %}shout {{ 'it' }}{% endfilter %}",
                        "SHOUT IT"),
                Arguments.of("{% raw %}{{ not rendered }}{% endraw %}",
                        "{{ not rendered }}"),
                Arguments.of("{{ 7 // 2 }} {{ 7 % 3 }} {{ -7 // 2 }} {{ 2 ** 10 }} {{ 7 / 2 }} {{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 'a' ~ 1 ~ none }}",
                        "3 1 -4 1024 3.5 7 9 a1None"),
                Arguments.of("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'ell' in 'hello' }} {{ 4 not in xs }} {{ 'a' in d }} {{ not true or false }}",
                        "True False True True True False"),
                Arguments.of("{{ 'yes' if xs else 'no' }} {{ 'yes' if [] else 'no' }} {{ none is none }} {{ 1 is number }} {{ 'x' is string }} {{ d is mapping }} {{ xs is iterable }} {{ xs is sequence }}",
                        "yes no True True True True True True"),
                Arguments.of("{{ xs[::-1] }} {{ xs[1:] }} {{ xs[:-1] }} {{ 'abcdef'[1:4] }} {{ 'abcdef'[::2] }} {{ xs[-1] }} {{ 'abc'[-1] }}",
                        "[2, 1, 3] [1, 2] [3, 1] bcd ace 2 c"),
                Arguments.of("{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'x-y-z'.split('-', 1) }}",
                        "Hello World|Hello World  |  Hello World|['a', 'b', '', 'c']|['a', 'b']|['x', 'y-z']"),
                Arguments.of("{{ 'Hello'.startswith('He') }} {{ 'Hello'.endswith('lo') }} {{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }} {{ 'aXa'.replace('a', 'b') }} {{ 'Hi'.upper() }}{{ 'Hi'.lower() }}",
                        "True True Hello World Hello bXb HIhi"),
                Arguments.of("{{ '{} and {}'.format('a', 'b') }} {{ '{x}!'.format(x=1) }} {{ d.get('a') }} {{ d.get('z', 'none') }} {{ d.keys()|list }} {{ d.values()|list }}",
                        "a and b 1! 1 none ['b', 'a'] [2, 1]"),
                Arguments.of("{{ s|trim }}|{{ 'abc'|length }}|{{ xs|first }}{{ xs|last }}|{{ 'hello world'|title }}|{{ 'HI'|lower }}|{{ 'x'|upper }}|{{ 'ab'|capitalize }}|{{ 'aaa'|replace('a','b', 2) }}",
                        "Hello World|3|32|Hello World|hi|X|Ab|bba"),
                Arguments.of("{{ [{'a':1,'t':'x'},{'a':2,'t':'y'}]|selectattr('a','equalto',2)|list }}|{{ [{'a':1},{'a':2}]|rejectattr('a','equalto',2)|list }}|{{ [{'a':1},{'a':2}]|map(attribute='a')|list }}|{{ [1,2,3,4]|select('odd')|list }}|{{ [1,2,3,4]|reject('even')|list }}",
                        "[{'a': 2, 't': 'y'}]|[{'a': 1}]|[1, 2]|[1, 3]|[1, 3]"),
                Arguments.of("{{ d|tojson }}|{{ {'k': [1, 'é', none, true, 1.5]}|tojson }}|{{ xs|tojson(indent=2) }}",
                        "{\"b\": 2, \"a\": 1}|{\"k\": [1, \"é\", null, true, 1.5]}|[\n  3,\n  1,\n  2\n]"),
                Arguments.of("{{ 'a\\nb'|indent(2) }}|{{ 'a\\nb'|indent(2, first=true) }}|{{ 'one two  three'|wordcount }}|{{ [1,2,3,4,5]|batch(2)|list }}|{{ xs|count }}|{{ xs|sum }}|{{ xs|min }}{{ xs|max }}",
                        "a\n  b|  a\n  b|3|[[1, 2], [3, 4], [5]]|3|6|13"),
                Arguments.of("{{ '<a href=\"x\">&\\'</a>'|escape }}|{{ '<b>'|safe }}|{{ 12|string ~ 'x' }}|{{ [1,'a',none,true]|string }}|{{ {'a': 'b'} }}",
                        "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;|<b>|12x|[1, 'a', None, True]|{'a': 'b'}"),
                Arguments.of("{% set a, b = 1, 2 %}{{ a }}{{ b }}|{% with z = 5 %}{{ z }}{% endwith %}|{% set l = [] %}{% do l.append(1) %}{{ l }}",
                        "12|5|[1]"),
                Arguments.of("{{ 3 is divisibleby 3 }} {{ 2 is even }} {{ 'x' is in 'xyz' }} {{ 1 is eq 1 }} {{ 2 is gt 1 }} {{ none is not none }} {{ true is true }} {{ 0 is false }}",
                        "True True True True True False True False"),
                Arguments.of("{%- if true -%}\n  yes\n{%- endif -%}\n!",
                        "yes!"),
                Arguments.of("<ul>\n  {% for x in xs %}\n    <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n",
                        "<ul>\n    <li>3</li>\n    <li>1</li>\n    <li>2</li>\n</ul>"),
                Arguments.of("{# comment #}\n{{ 'a' }}\n{# another #}\nb\n",
                        "a\nb"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jinja2Renderings")
    void rendersAsJinja2Does(String template, String expected) {
        assertThat(Template.compile(template).render(context())).isEqualTo(expected);
    }

    @Test
    void noneAndUndefinedAreOneValueAsInLlamaCpp() {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("present_but_null", null);
        String out = Template.compile("{{ present_but_null is defined }} {{ missing is defined }} "
                + "{{ present_but_null|default('d') }} [{{ present_but_null }}]").render(vars);
        assertThat(out).isEqualTo("False False d []");
    }

    @Test
    void stringConcatenationWithAMissingValuePrintsNoneAsLlamaCppDoes() {
        String out = Template.compile("{{ 'x: ' + param.description|trim }}|{{ 'a' ~ none }}")
                .render(Map.of("param", Map.of()));
        assertThat(out).isEqualTo("x: None|aNone");
    }

    @Test
    void lstripBlocksAlsoStripsIndentationBeforeOutputTagsAsMinjaDoes() {
        assertThat(Template.compile("a\n    {{ 'b' }}\n").render(Map.of())).isEqualTo("a\nb");
    }

    @Test
    void plusModifierKeepsWhitespaceThatLstripAndTrimWouldRemove() {
        assertThat(Template.compile("a\n  {%+ if true +%}\nb{% endif %}").render(Map.of())).isEqualTo("a\n  \nb");
    }

    @Test
    void rawBlockIsOutputVerbatim() {
        assertThat(Template.compile("{% raw %}{% if %}{{ x }}{# c #}{% endraw %}").render(Map.of()))
                .isEqualTo("{% if %}{{ x }}{# c #}");
    }

    @Test
    void closingBracesInsideALiteralDoNotEndTheTag() {
        assertThat(Template.compile("{{ {'a': {'b': 1}} }}").render(Map.of())).isEqualTo("{'a': {'b': 1}}");
    }

    @Test
    void tuplesAreListsAtRunTime() {
        assertThat(Template.compile("{{ (1, 'a') }} {{ {'k': 1}|items|list }}").render(Map.of()))
                .isEqualTo("[1, 'a'] [['k', 1]]");
    }

    @Test
    void raiseExceptionReportsTheTemplatesMessageAndPosition() {
        assertThatThrownBy(() -> Template.compile("ok\n  {{ raise_exception('Roles must alternate') }}")
                .render(Map.of()))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TemplateException.Kind.RAISED);
                    assertThat(e.detail()).isEqualTo("Roles must alternate");
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.getMessage()).contains("line 2");
                });
    }

    @Test
    void syntaxErrorNamesLineAndColumn() {
        assertThatThrownBy(() -> Template.compile("line one\n{% if x %}\n{{ 1 + }}\n{% endif %}"))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TemplateException.Kind.SYNTAX);
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo(8);
                });
    }

    @Test
    void unterminatedBlockIsASyntaxError() {
        assertThatThrownBy(() -> Template.compile("{% for x in xs %}{{ x }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("endfor");
    }

    @Test
    void callingAMethodOnAMissingValueFailsWithTheExpressionNamed() {
        assertThatThrownBy(() -> Template.compile("{{ message.content.split('</think>')[-1] }}")
                .render(Map.of("message", Map.of("role", "assistant"))))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TemplateException.Kind.RENDER);
                    assertThat(e.detail()).contains("split").contains("message.content");
                });
    }

    @Test
    void unknownFilterIsReportedWhenUsed() {
        assertThatThrownBy(() -> Template.compile("{{ 1 | frobnicate }}").render(Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unknown filter 'frobnicate'");
    }

    @Test
    void renderingNeverChangesTheCallersData() {
        List<Object> list = new ArrayList<>(List.of(1));
        Template.compile("{% do xs.append(2) %}{{ xs }}").render(Map.of("xs", list));
        assertThat(list).containsExactly(1);
    }

    @Test
    void setInsideALoopStaysInTheLoopButNamespaceCarriesOut() {
        String out = Template.compile("{% set n = 0 %}{% set ns = namespace(n=0) %}{% for x in [1, 2] %}"
                + "{% set n = n + x %}{% set ns.n = ns.n + x %}{% endfor %}{{ n }} {{ ns.n }}").render(Map.of());
        assertThat(out).isEqualTo("0 3");
    }

    @Test
    void macrosRecurseAndSeeTheirOwnArguments() {
        String out = Template.compile("{% macro count(n) %}{{ n }}{% if n > 0 %}{{ count(n - 1) }}{% endif %}"
                + "{% endmacro %}{{ count(3) }}").render(Map.of());
        assertThat(out).isEqualTo("3210");
    }

    @Test
    void runawayRecursionIsAnErrorNotACrash() {
        assertThatThrownBy(() -> Template.compile("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}").render(Map.of()))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("recursed");
    }

    @Test
    void recursiveLoopRendersNestedItems() {
        Map<String, Object> tree = Map.of("name", "a", "children", List.of(Map.of("name", "b", "children", List.of())));
        String out = Template.compile("{% for n in [tree] recursive %}{{ n.name }}({{ loop(n.children) }}){% endfor %}")
                .render(Map.of("tree", tree));
        assertThat(out).isEqualTo("a(b())");
    }

    @Test
    void callerSuppliedFunctionsAreCallable() {
        JinjaFunction twice = args -> Values.str(args.positional().getFirst()).repeat(2);
        assertThat(Template.compile("{{ twice('ab') }}").render(Map.of("twice", twice))).isEqualTo("abab");
    }
}
