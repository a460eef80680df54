package dev.gantry.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What all tokenizers share: special-token splitting before encoding, and llama.cpp's detokenization
 * ({@code llama_vocab::impl::detokenize}) after. Subclasses encode the fragments.
 */
abstract class AbstractTokenizer implements Tokenizer {

    private static final byte[] NONE = new byte[0];

    protected final Vocabulary vocabulary;
    private final SpecialTokenSplitter splitter;
    private final TokenPieces pieces;

    AbstractTokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        this.splitter = new SpecialTokenSplitter(vocabulary);
        this.pieces = new TokenPieces(vocabulary);
    }

    @Override
    public final int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        String wellFormed = CodepointFlags.wellFormed(text);
        List<SpecialTokenSplitter.Fragment> fragments = splitter.split(wellFormed, parseSpecial);
        IdList out = new IdList();
        encode(wellFormed, fragments, addSpecial, out);
        return out.toArray();
    }

    /** Appends the ids of {@code fragments} (cut from {@code text}), with BOS/EOS when {@code addSpecial}. */
    abstract void encode(String text, List<SpecialTokenSplitter.Fragment> fragments, boolean addSpecial, IdList out);

    @Override
    public final String decode(int[] ids, int from, int to, boolean removeSpecial, boolean unparseSpecial) {
        return new String(decodeBytes(ids, from, to, removeSpecial, unparseSpecial), StandardCharsets.UTF_8);
    }

    /** llama_detokenize: the pieces, the first one without its leading space when the vocabulary added it. */
    final byte[] decodeBytes(int[] ids, int from, int to, boolean removeSpecial, boolean unparseSpecial) {
        java.util.Objects.checkFromToIndex(from, to, ids.length);
        Vocabulary.Options options = vocabulary.options();
        boolean removeSpace = options.addSpacePrefix();
        if (removeSpecial && options.addBos() && to > from && ids[from] == vocabulary.special().bos()) {
            removeSpace = false; // llama.cpp keeps the prefix space that follows a removed BOS
            from++;
        }
        if (removeSpecial && options.addEos() && to > from && ids[to - 1] == vocabulary.special().eos()) {
            to--;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            byte[] piece = tokenBytes(ids[i], unparseSpecial);
            int skip = removeSpace && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            out.write(piece, skip, piece.length - skip);
            removeSpace = false;
        }
        byte[] text = out.toByteArray();
        return options.cleanSpaces() ? SpaceCleanup.apply(text) : text;
    }

    @Override
    public final byte[] tokenBytes(int id, boolean special) {
        checkId(id);
        if (!special && vocabulary.has(id, TokenAttributes.CONTROL | TokenAttributes.UNKNOWN)) {
            return NONE;
        }
        return pieces.bytes(id).clone();
    }

    @Override
    public final int vocabSize() {
        return vocabulary.size();
    }

    @Override
    public final String piece(int id) {
        checkId(id);
        return vocabulary.tokens()[id];
    }

    @Override
    public final int tokenType(int id) {
        checkId(id);
        return vocabulary.types()[id];
    }

    @Override
    public final int id(String piece) {
        return vocabulary.id(piece);
    }

    @Override
    public final int bosId() {
        return vocabulary.special().bos();
    }

    @Override
    public final int eosId() {
        return vocabulary.special().eos();
    }

    @Override
    public final int sepId() {
        return vocabulary.special().sep();
    }

    @Override
    public final boolean addBos() {
        return vocabulary.options().addBos();
    }

    @Override
    public final boolean addEos() {
        return vocabulary.options().addEos();
    }

    @Override
    public final boolean addSep() {
        return vocabulary.options().addSep();
    }

    @Override
    public final boolean isEndOfGeneration(int id) {
        return vocabulary.special().isEndOfGeneration(id);
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocabulary.size()) {
            throw new IndexOutOfBoundsException("token id " + id + " outside the vocabulary of " + vocabulary.size());
        }
    }
}
