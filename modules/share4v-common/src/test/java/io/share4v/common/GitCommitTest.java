package io.share4v.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The running code's commit: the checkout this build's classes are in (the tests run inside one). */
class GitCommitTest {
    @Test
    void isTheCheckoutsHead() throws Exception {
        Process p = new ProcessBuilder("git", "rev-parse", "HEAD").start();
        String head = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assumeTrue(p.waitFor() == 0, "a source copy without .git: nothing to compare with");
        String current = GitCommit.current();
        assertTrue(current != null && current.matches("[0-9a-f]{40}"), String.valueOf(current));
        assertEquals(head, current);
    }
}
