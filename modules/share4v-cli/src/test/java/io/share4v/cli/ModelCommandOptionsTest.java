package io.share4v.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.tensor.backend.Backends;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Each shared flag has one declaration and one meaning: every command that runs the model takes {@code --model},
 * {@code --threads} (OpenBLAS threads) and {@code --kernels} from the same mixins, and the preprocessing benchmark's
 * Java worker count is {@code --workers}, not a second meaning of {@code --threads}.
 */
class ModelCommandOptionsTest {
    private static final List<String> MODEL_COMMANDS = List.of("forward", "generate", "bench-step", "bench-decode");

    private static OptionSpec option(String command, String name) {
        CommandLine sub = Share4vCli.commandLine().getSubcommands().get(command);
        assertNotNull(sub, command);
        return sub.getCommandSpec().findOption(name);
    }

    @Test
    void everyModelCommandTakesTheSharedModelThreadAndKernelOptions() {
        for (String command : MODEL_COMMANDS) {
            for (String name : List.of("--model", "--vision-tower", "--threads", "--kernels")) {
                assertNotNull(option(command, name), command + " " + name);
            }
            OptionSpec kernels = option(command, "--kernels");
            String help = String.join(" ", kernels.description());
            assertTrue(help.contains(BackendOptions.KINDS), command);
            assertTrue(Backends.available().stream().allMatch(help::contains), help);
            // --backend (the name shared by every backend choice) is the same option; --kernels stays for existing
            // scripts
            assertEquals(
                    List.of(kernels.names()),
                    List.of(option(command, "--backend").names()),
                    command);
            assertEquals(
                    option("forward", "--threads").description()[0],
                    option(command, "--threads").description()[0]);
        }
    }

    @Test
    void benchPreprocessCountsWorkersNotThreads() {
        assertNotNull(option("bench-preprocess", "--workers"));
        assertNull(option("bench-preprocess", "--threads"));
    }

    @Test
    void theBenchmarksKeepTheirOwnDefaultSeeds() {
        assertEquals("0", option("bench-step", "--seed").defaultValueString());
        assertEquals("3", option("bench-decode", "--seed").defaultValueString());
    }

    @Test
    void anUnknownKernelNameIsOneLineNamingTheKnownOnes() {
        CliRun run = CliRun.of(
                "bench-decode",
                "--model",
                ForwardCommandTest.MODEL.toString(),
                "--new-tokens",
                "2",
                "--kernels",
                "bogus");
        assertEquals(2, run.exit());
        assertTrue(
                run.err().contains("bogus")
                        && run.err().contains("nd4j")
                        && run.err().contains("java"),
                run.err());
    }
}
