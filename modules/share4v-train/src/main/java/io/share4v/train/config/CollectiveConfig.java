package io.share4v.train.config;

import io.share4v.common.config.ConfigChecks;
import io.share4v.train.collective.TcpRingCollective;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workers' ring ({@code collective.*}), durations written {@code 500ms}, {@code 30s}, {@code 5m} or {@code 2h}.
 *
 * @param ioTimeout      a peer that moves no byte for this long fails the step (a dead or silent worker becomes a
 *                       task failure, never a hang)
 * @param connectTimeout how long the ring may take to form while workers start
 * @param bucketMb       gradient bucket size in MiB (DDP's {@code bucket_cap_mb}, default 25): the trainable
 *                       gradients are reduced bucket by bucket from the top of the buffer down; the rank's optimizer
 *                       shard is its part of every bucket, so a resume must use the same value
 * @param overlap        reduce each bucket while the backward still computes the ones below it (on a
 *                       communication thread); the same result bit for bit as reducing them after the backward
 */
public record CollectiveConfig(String ioTimeout, String connectTimeout, double bucketMb, boolean overlap) {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    /** The largest bucket: 64 GiB, more than any model's gradients. */
    private static final double MAX_BUCKET_MB = 65536;

    public CollectiveConfig {
        parse("collective.io_timeout", ioTimeout);
        parse("collective.connect_timeout", connectTimeout);
        ConfigChecks.require(
                bucketMb > 0 && bucketMb <= MAX_BUCKET_MB,
                "collective.bucket_mb",
                bucketMb,
                "a size in MiB, > 0 and <= " + (long) MAX_BUCKET_MB + " (DDP's default: 25)");
    }

    /** {@link #bucketMb} in bytes (MiB = 2^20 bytes, as DDP's {@code bucket_cap_mb}), at least one float. */
    public long bucketBytes() {
        return Math.max(Float.BYTES, Math.round(bucketMb * (1 << 20)));
    }

    /** The ring's settings: these timeouts, the ring's own defaults otherwise. */
    public TcpRingCollective.Settings settings() {
        return TcpRingCollective.Settings.defaults()
                .withIoTimeout(parse("collective.io_timeout", ioTimeout))
                .withConnectTimeout(parse("collective.connect_timeout", connectTimeout));
    }

    private static Duration parse(String key, String text) {
        Matcher m = text == null ? null : DURATION.matcher(text);
        if (m == null || !m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw ConfigChecks.invalid(key, text, "a positive duration such as 500ms, 30s, 5m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
