package io.share4v.train.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** The commit of the code that trains, for the trainer state: {@code git rev-parse HEAD}, best effort. */
final class GitCommit {
    static final String UNKNOWN = "unknown";

    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final long TIMEOUT_SECONDS = 5;

    private GitCommit() {}

    /** The working directory's HEAD commit, or {@value #UNKNOWN} (no git, not a repository, a slow file system). */
    static String current() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return UNKNOWN;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && SHA.matcher(out).matches() ? out : UNKNOWN;
        } catch (IOException e) {
            return UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        }
    }
}
