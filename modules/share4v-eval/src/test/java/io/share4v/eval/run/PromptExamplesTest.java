package io.share4v.eval.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.share4v.eval.fixtures.BenchmarkFixture;
import io.share4v.eval.fixtures.BenchmarkLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full prompt text of one real question per runner, as the spec's examples write it out. */
class PromptExamplesTest {
    static final String VICUNA = "A chat between a curious user and an artificial intelligence assistant. The assistant"
            + " gives helpful, detailed, and polite answers to the user's questions. ";
    static final String SHARE4V = "A chat between a curious human and an artificial intelligence assistant. The"
            + " assistant gives helpful, detailed, and polite answers to the human's questions. ";

    @TempDir
    Path root;

    private EvalQuestion question(String benchmark, int index) {
        BenchmarkFixture f = BenchmarkLayout.layOut(benchmark, root);
        List<EvalQuestion> qs = Runners.named(benchmark).readQuestions(f.questions());
        return qs.get(index);
    }

    private static String prompt(String benchmark, EvalQuestion q) {
        return QuestionAnswerer.promptText(Runners.named(benchmark).settings().convMode(), q);
    }

    @Test
    void loaderQuestionIsTheSpecsVqaExample() {
        EvalQuestion q = question("gqa", 0);
        assertEquals(
                VICUNA
                        + "USER: <image>\nIs it overcast?\nAnswer the question using a single word or phrase. ASSISTANT:",
                prompt("gqa", q));
    }

    @Test
    void popeAndVizWizSuffixesComeFromTheQuestionFile() {
        assertEquals(
                VICUNA + "USER: <image>\nIs there a snowboard in the image?\nAnswer the question using a single word or"
                        + " phrase. ASSISTANT:",
                prompt("pope", question("pope", 0)));
        assertEquals(
                VICUNA + "USER: <image>\nWhat is this? and what color is it?\nWhen the provided information is"
                        + " insufficient, respond with 'Unanswerable'.\nAnswer the question using a single word or"
                        + " phrase. ASSISTANT:",
                prompt("vizwiz", question("vizwiz", 0)));
    }

    @Test
    void modelVqaHasNoSuffix() {
        assertEquals(
                VICUNA + "USER: <image>\nWhat is x in the equation? ASSISTANT:", prompt("mmvet", question("mmvet", 0)));
        assertEquals(
                VICUNA + "USER: <image>\nWhat is the name of this famous sight in the photo? ASSISTANT:",
                prompt("llava_bench", question("llava_bench", 0)));
    }

    @Test
    void scienceQaImageAndTextOnlyItems() {
        EvalQuestion image = question("sqa", 2); // id 11
        assertEquals(
                VICUNA + "USER: <image>\nWhat is the name of the colony shown?\nA. Maryland\nB. New Hampshire\nC. Rhode"
                        + " Island\nD. Vermont\nAnswer with the option's letter from the given choices directly."
                        + " ASSISTANT:",
                prompt("sqa", image));
        assertEquals("\"11\"", image.identity().get("question_id").toString());
        EvalQuestion text = question("sqa", 4); // id 26
        assertEquals(
                VICUNA + "USER: Context: Select the better estimate.\nHow long does it take to bake lasagna in the"
                        + " oven?\nA. 33 minutes\nB. 33 hours\nAnswer with the option's letter from the given choices"
                        + " directly. ASSISTANT:",
                prompt("sqa", text));
        assertNull(text.image(), "text-only items are asked without an image");
    }

    @Test
    void mmbenchHintQuestionOptionsAndSuffix() {
        String body = "The passage below describes an experiment. Read the passage and think about the variables that"
                + " are described.\n\nArianna's brother thought that crushed ice would keep his soda cooler than whole"
                + " ice cubes.\nTo test this idea, Arianna divided a large bottle of soda equally among six glasses."
                + " Arianna added five whole ice cubes to each of the first three glasses while her brother crushed"
                + " five ice cubes into small pieces before adding them to each of the other three glasses. Ten"
                + " minutes after all the ice had been added to the glasses, Arianna used a thermometer to measure the"
                + " temperature of the soda in each glass.\nHint: An independent variable is a variable whose effect"
                + " you are investigating. A dependent variable is a variable that you measure.\nFigure: glasses of"
                + " soda with ice.\nWhich of the following was a dependent variable in this experiment?\nA. the"
                + " temperature of the soda\nB. the size of the ice pieces";
        assertEquals(
                VICUNA + "USER: <image>\n" + body
                        + "\nAnswer with the option's letter from the given choices directly. ASSISTANT:",
                prompt("mmbench", question("mmbench", 0)));
        assertEquals(
                VICUNA + "USER: <image>\n" + body + "\n请直接回答选项字母。 ASSISTANT:",
                prompt("mmbench_cn", question("mmbench_cn", 0)));
    }

    @Test
    void qbenchUsesShare4vV1AndItsMessageEndsWithANewline() {
        assertEquals(
                SHARE4V + "USER: <image>\nIs this image clear?\nChoose between one of the options as follows:\nA. Yes\n"
                        + "B. No\n ASSISTANT:",
                prompt("qbench", question("qbench", 0)));
    }
}
