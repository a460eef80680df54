package dev.gantry.knowledge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A generated corpus for retrieval quality: internal documentation about fictional services. Each service (a made-up
 * name) has several documents, one per facet (backups, on-call, deployment, ...); each document plants one fact and
 * surrounds it with topic filler shared by every document of that facet, plus mentions of other services. Every
 * document gets one question, asked with a paraphrase of its fact.
 *
 * <p>What makes it a fair test of hybrid search: most questions name their service, which BM25 matches in that
 * service's documents and in every document that mentions it in passing, but paraphrase the relation, so BM25 cannot
 * tell the facets apart well while the embedding model can. Two facets plant a unique identifier (an error code, a
 * runbook id) and ask for the document by that identifier without naming the service, as users paste an error
 * message: BM25 matches the rare token exactly, while the embedding model barely tells one code from another.
 */
final class RetrievalCorpus {

    record Document(String name, String text) {
    }

    record Question(String text, String documentName) {
    }

    /**
     * One kind of document: its title, the planted fact with a value slot, paraphrased questions, topic filler.
     * With no values, each document gets a unique identifier, and the question asks by identifier.
     */
    private record Facet(String key, String title, String fact, List<String> values, List<String> questions,
                         List<String> filler) {
        boolean byIdentifier() {
            return values.isEmpty();
        }
    }

    private static final List<Facet> FACETS = List.of(
            new Facet("backups", "%s backup policy", "%s keeps its nightly snapshots for %s days before they are purged.",
                    List.of("14", "21", "30", "45", "60", "90"),
                    List.of("How long are backups of %s retained?", "What is the retention period for %s data copies?"),
                    List.of("Restores are rehearsed every quarter by the reliability group.",
                            "Snapshots are encrypted at rest with keys from the vault.",
                            "Backup jobs report their status to the central dashboard.",
                            "A failed snapshot raises a ticket for the owning team.",
                            "Copies are stored in a second availability zone.")),
            new Facet("oncall", "%s on-call guide", "When %s pages at night, the first responder is the %s rotation.",
                    List.of("platform", "storage", "payments", "identity", "edge", "data"),
                    List.of("Who gets called first if %s breaks overnight?", "Which team handles %s outages after hours?"),
                    List.of("Escalation goes to the engineering manager after thirty minutes.",
                            "Incident notes are written in the shared channel.",
                            "Handover between shifts happens every Monday.",
                            "Pager alerts must be acknowledged within five minutes.",
                            "A postmortem is due within two business days.")),
            new Facet("deploy", "Deploying %s", "%s ships to production every %s once the release train closes.",
                    List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
                    List.of("On which weekday does %s get released?", "When does a new %s version go live?"),
                    List.of("Canary instances receive five percent of requests first.",
                            "Rollbacks are triggered automatically on error spikes.",
                            "The pipeline runs integration suites before promotion.",
                            "Feature flags hide unfinished work from customers.",
                            "Release notes are published on the internal wiki.")),
            new Facet("network", "%s networking", "%s listens for traffic on port %s behind the internal load balancer.",
                    List.of("7443", "8081", "9090", "6379", "5432", "8443"),
                    List.of("Which port should clients connect to for %s?", "What TCP port does %s accept requests on?"),
                    List.of("Firewall rules are managed as code in the network repository.",
                            "Health checks probe the service every ten seconds.",
                            "Traffic between zones is encrypted with mutual TLS.",
                            "DNS records are created by the provisioning tool.",
                            "Rate limits protect the service from bursts.")),
            new Facet("owner", "%s ownership", "The %s codebase is maintained by %s's group in the Lisbon office.",
                    List.of("Amara", "Bjorn", "Chen", "Dalia", "Emeka", "Farah"),
                    List.of("Who is responsible for looking after %s?", "Which people own the %s software?"),
                    List.of("Code reviews need approval from two maintainers.",
                            "Design documents live in the architecture folder.",
                            "New contributors pair with a maintainer for a week.",
                            "The roadmap is reviewed at the start of each quarter.",
                            "Questions go to the team's support channel.")),
            new Facet("language", "%s architecture", "%s is written mostly in %s and built with the standard toolchain.",
                    List.of("Rust", "Go", "Kotlin", "Java", "Python", "Elixir"),
                    List.of("What programming language was %s implemented in?", "Which language is the %s source code in?"),
                    List.of("Modules communicate through versioned interfaces.",
                            "Dependencies are pinned and scanned weekly.",
                            "The build produces a container image per commit.",
                            "Unit tests run on every pull request.",
                            "Static analysis blocks merges on new warnings.")),
            new Facet("storage", "%s data storage", "%s persists its records in a %s cluster replicated across three zones.",
                    List.of("PostgreSQL", "Cassandra", "MySQL", "Redis", "MongoDB", "CockroachDB"),
                    List.of("Which database holds the %s data?", "What datastore does %s save information in?"),
                    List.of("Schema migrations run before each release.",
                            "Connection pools are sized per instance.",
                            "Slow queries are logged and reviewed monthly.",
                            "Personal data is masked in non-production copies.",
                            "Capacity is planned for eighteen months ahead.")),
            new Facet("cost", "%s budget", "Running %s costs roughly %s dollars per month in cloud fees.",
                    List.of("1,200", "3,500", "8,000", "12,500", "20,000", "45,000"),
                    List.of("How much money does %s take to operate each month?", "What is the monthly spend on %s?"),
                    List.of("Finance reviews the cloud bill every month.",
                            "Reserved instances lower the compute price.",
                            "Idle environments are shut down at night.",
                            "Costs are tagged by team for chargeback.",
                            "Forecasts are shared with leadership each quarter.")),
            new Facet("latency", "%s service levels", "%s promises a p99 response time under %s milliseconds.",
                    List.of("50", "120", "200", "350", "500", "800"),
                    List.of("How fast must %s answer requests?", "What latency target has %s committed to?"),
                    List.of("Error budgets are tracked on a rolling thirty day window.",
                            "Dashboards show availability per region.",
                            "Breaches are discussed in the weekly operations review.",
                            "Synthetic probes measure the public endpoints.",
                            "Objectives are revisited twice a year.")),
            new Facet("auth", "%s access control", "Access to %s requires a %s token issued by the identity gateway.",
                    List.of("hardware-backed", "short-lived OAuth", "mutual TLS", "signed JWT", "SAML", "Kerberos"),
                    List.of("How do callers authenticate against %s?", "What credential is needed to use %s?"),
                    List.of("Permissions are granted through group membership.",
                            "Access reviews happen every six months.",
                            "Service accounts are rotated automatically.",
                            "Audit trails record every privileged action.",
                            "Break-glass accounts are sealed and monitored.")),
            new Facet("region", "%s regions", "%s is hosted in the %s region with a warm standby elsewhere.",
                    List.of("Frankfurt", "Oregon", "Singapore", "Dublin", "Tokyo", "Virginia"),
                    List.of("Where in the world does %s run?", "In which geographic location is %s deployed?"),
                    List.of("Failover drills are run twice a year.",
                            "Data residency rules decide where customers are served.",
                            "Latency between sites is monitored continuously.",
                            "Each site has its own capacity plan.",
                            "Traffic steering is handled by the global balancer.")),
            new Facet("errors", "%s error reference", "%s reports failure code %s when its upstream quota is exhausted.",
                    List.of(),
                    List.of("Which system raises error %s?", "I got %s in the logs, what component is that from?"),
                    List.of("Errors are counted per minute and alerted on.",
                            "Every code has a short explanation for support staff.",
                            "Transient failures are retried with backoff.",
                            "Clients should show a friendly message to users.",
                            "Unknown failures are reported to the owning team.")),
            new Facet("runbook", "%s incident runbook", "The emergency procedure for %s is filed as runbook %s in the ops library.",
                    List.of(),
                    List.of("What does runbook %s cover?", "Which service is runbook %s written for?"),
                    List.of("Follow the steps in order and note the time of each.",
                            "Call the incident commander before any risky action.",
                            "Procedures are rehearsed in game days.",
                            "Keep customers informed through the status page.",
                            "Update the procedure after every real incident.")),
            new Facet("logs", "%s logging", "%s writes its audit logs to the %s bucket, which is kept for seven years.",
                    List.of("archive-cold", "audit-vault", "compliance-store", "ledger-logs", "trail-keeper", "sec-records"),
                    List.of("Where does %s store its audit trail?", "In what place are the %s audit records saved?"),
                    List.of("Log lines are structured as JSON.",
                            "Sensitive fields are redacted before shipping.",
                            "Retention is enforced by lifecycle policies.",
                            "Queries over old logs need an approved ticket.",
                            "Log volume is sampled for debug levels.")));

    private static final List<String> GENERAL_FILLER = List.of(
            "This page is reviewed twice a year by its owners.",
            "Ask in the engineering forum before changing anything described here.",
            "Older revisions of this page are kept in the wiki history.",
            "Links to related runbooks are at the bottom of the page.");

    private static final String[] SYLLABLES = {"bra", "kor", "vel", "min", "tor", "zan", "quo", "lix", "dra", "fen",
            "gul", "hap", "jor", "kes", "lum", "nev", "pol", "rix", "sul", "tam", "ulv", "wex", "yor", "zep"};

    private final List<Document> documents = new ArrayList<>();
    private final List<Question> questions = new ArrayList<>();

    /**
     * @param services          number of fictional services
     * @param facetsPerService  documents per service
     * @param mentionsPerDoc    other services mentioned in passing in each document
     */
    RetrievalCorpus(long seed, int services, int facetsPerService, int mentionsPerDoc) {
        Random random = new Random(seed);
        List<String> names = names(random, services);
        for (String name : names) {
            List<Facet> facets = new ArrayList<>(FACETS);
            Collections.shuffle(facets, random);
            for (Facet facet : facets.subList(0, facetsPerService)) {
                String docName = name.toLowerCase() + "-" + facet.key() + ".md";
                String value = facet.byIdentifier() ? identifier(random, facet)
                        : facet.values().get(random.nextInt(facet.values().size()));
                documents.add(new Document(docName, document(random, names, name, facet, value, mentionsPerDoc)));
                String question = facet.questions().get(random.nextInt(facet.questions().size()));
                questions.add(new Question(question.formatted(facet.byIdentifier() ? value : name), docName));
            }
        }
    }

    List<Document> documents() {
        return documents;
    }

    List<Question> questions() {
        return questions;
    }

    private final Set<String> identifiers = new HashSet<>();

    /** A fresh identifier: {@code QX-4821} for error codes, {@code RB-3391} for runbooks. */
    private String identifier(Random random, Facet facet) {
        String id;
        do {
            id = facet.key().equals("runbook") ? "RB-" + (1000 + random.nextInt(9000))
                    : "" + (char) ('A' + random.nextInt(26)) + (char) ('A' + random.nextInt(26)) + "-" + (1000 + random.nextInt(9000));
        } while (!identifiers.add(id));
        return id;
    }

    private static String document(Random random, List<String> names, String name, Facet facet, String value,
                                   int mentions) {
        List<String> sentences = new ArrayList<>();
        List<String> filler = new ArrayList<>(facet.filler());
        Collections.shuffle(filler, random);
        sentences.addAll(filler.subList(0, 3));
        for (int i = 0; i < mentions; i++) {
            String other = names.get(random.nextInt(names.size()));
            if (!other.equals(name)) {
                sentences.add(random.nextBoolean() ? other + " depends on this service for part of its work."
                        : "Changes here are coordinated with the " + other + " maintainers.");
            }
        }
        sentences.add(GENERAL_FILLER.get(random.nextInt(GENERAL_FILLER.size())));
        Collections.shuffle(sentences, random);
        sentences.add(random.nextInt(sentences.size() + 1), facet.fact().formatted(name, value));
        return "# " + facet.title().formatted(name) + "\n\n" + String.join(" ", sentences) + "\n";
    }

    private static List<String> names(Random random, int count) {
        Set<String> names = new LinkedHashSet<>();
        while (names.size() < count) {
            String n = SYLLABLES[random.nextInt(SYLLABLES.length)] + SYLLABLES[random.nextInt(SYLLABLES.length)]
                    + (random.nextBoolean() ? SYLLABLES[random.nextInt(SYLLABLES.length)] : "");
            names.add(Character.toUpperCase(n.charAt(0)) + n.substring(1));
        }
        return new ArrayList<>(names);
    }
}
