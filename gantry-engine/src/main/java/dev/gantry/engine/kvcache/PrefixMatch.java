package dev.gantry.engine.kvcache;

/**
 * The longest cached prefix of a token sequence: whole blocks only, as {@link PrefixCache#longestPrefix} found them.
 *
 * @param tokens   the prefix length, {@code blockIds.length * blockSize}
 * @param blockIds the physical blocks holding it, logical order
 * @param hashes   their chained hashes
 */
public record PrefixMatch(int tokens, int[] blockIds, BlockHash[] hashes) {

    public PrefixMatch {
        if (blockIds.length != hashes.length) {
            throw new IllegalArgumentException(blockIds.length + " blocks but " + hashes.length + " hashes");
        }
        blockIds = blockIds.clone();
        hashes = hashes.clone();
    }

    @Override
    public int[] blockIds() {
        return blockIds.clone();
    }

    @Override
    public BlockHash[] hashes() {
        return hashes.clone();
    }

    public int blocks() {
        return blockIds.length;
    }
}
