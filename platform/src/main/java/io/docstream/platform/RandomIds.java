package io.docstream.platform;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Random (version 4) UUIDs from the calling thread's own generator, for ids that must be unique, not unpredictable
 * (request ids, event ids): {@link UUID#randomUUID()} makes every caller queue on one shared SecureRandom, which
 * every request or search thread would.
 */
public final class RandomIds {

    private RandomIds() {
    }

    public static UUID uuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least);
    }
}
