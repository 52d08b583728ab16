package io.share4v.common;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The commit of the code that runs, for provenance (shard manifests, trainer states, evaluation runs): best effort,
 * {@code git rev-parse HEAD} in the checkout the running code was built from (the folder holding these classes or
 * their jar), else in the working folder.
 */
public final class GitCommit {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final long TIMEOUT_SECONDS = 5;

    private GitCommit() {}

    /** The 40-hex commit, or null when neither folder is a git checkout (or git is missing or too slow). */
    public static String current() {
        for (File dir : candidates()) {
            String sha = revParse(dir);
            if (sha != null) {
                return sha;
            }
        }
        return null;
    }

    private static List<File> candidates() {
        List<File> dirs = new ArrayList<>();
        try {
            File code = new File(GitCommit.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            dirs.add(code.isDirectory() ? code : code.getParentFile());
        } catch (Exception | Error e) {
            // no code source (e.g. a custom class loader): only the working folder is tried
        }
        dirs.add(new File("."));
        return dirs;
    }

    private static String revParse(File dir) {
        try {
            Process p = new ProcessBuilder("git", "-C", dir.getPath(), "rev-parse", "HEAD")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && SHA.matcher(out).matches() ? out : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null; // git missing: provenance stays unknown
        }
    }
}
