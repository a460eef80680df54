package dev.gantry.engine.kvcache;

/**
 * The identity of a full block's contents: 128 bits of SHA-256 over the parent block's hash, the block's token ids
 * and its extra key (vLLM's automatic prefix caching: {@code hash(parent_hash, block_tokens, extra_keys)}). Chaining
 * makes equal hashes mean equal whole prefixes, so one lookup per block finds a cached prefix.
 *
 * <p>A cryptographic hash, not {@code Arrays.hashCode}, because the cache is shared between users: with a cheap
 * hash one tenant could craft a prompt that collides with another's prefix and read attention state computed from
 * someone else's tokens (the reason vLLM moved to SHA-256). 128 bits keep accidental collisions out of reach.
 */
public record BlockHash(long high, long low) {

    /** The parent of a sequence's first block (in its first KV cache group). */
    public static final BlockHash ROOT = new BlockHash(0, 0);

    /**
     * The parent of a sequence's first block in KV cache group {@code group}: each group's blocks hold other
     * layers, so the same tokens must name different blocks in each.
     */
    public static BlockHash root(int group) {
        return group == 0 ? ROOT : new BlockHash(0, group);
    }

    @Override
    public String toString() {
        return "%016x%016x".formatted(high, low);
    }
}
