package io.share4v.eval.job;

import java.io.Serializable;
import java.util.List;

/**
 * What one task (one chunk index over every benchmark) reports to the driver.
 *
 * @param chunk      the chunk index
 * @param modelLoads how often the task loaded the model: 1, or 0 when every answer was already there
 * @param outcomes   one per benchmark that has this chunk
 */
public record TaskReport(int chunk, int modelLoads, List<ChunkOutcome> outcomes) implements Serializable {
    public TaskReport {
        outcomes = List.copyOf(outcomes);
    }
}
