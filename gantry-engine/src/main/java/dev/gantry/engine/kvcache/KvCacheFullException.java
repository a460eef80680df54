package dev.gantry.engine.kvcache;

/**
 * No block is free, not even an evictable cached one. The pool never grows, so this is the fail-fast signal that
 * replaces an out-of-memory error; the scheduler avoids it by asking {@link KvCacheManager#allocateSlots} first,
 * which answers {@code false} instead.
 */
public final class KvCacheFullException extends RuntimeException {

    public KvCacheFullException(String message) {
        super(message);
    }
}
