package dev.gantry.engine.kvcache;

/**
 * What besides token ids decides a block's contents, folded into its {@link BlockHash} (vLLM's "extra keys"):
 * a LoRA adapter, a tenant's cache salt, the content hash of an image whose embeddings sit in this block. Because
 * hashes chain, a key given for block 0 (adapter, salt) separates the whole sequence; per-block keys serve
 * multimodal inputs.
 */
@FunctionalInterface
public interface ExtraKeys {

    /** No extra key: blocks are identified by their tokens alone. */
    ExtraKeys NONE = block -> null;

    /** The extra key of logical block {@code blockIndex}, or null for none. The bytes must not change afterwards. */
    byte[] forBlock(int blockIndex);

    /** One key for the whole sequence (an adapter name, a tenant salt), applied at block 0 and chained onward. */
    static ExtraKeys sequence(byte[] key) {
        byte[] copy = key.clone();
        return block -> block == 0 ? copy : null;
    }
}
