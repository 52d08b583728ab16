package io.share4v.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** get_prompt() of every separator style, against strings worked out by hand from the reference code. */
class ConversationTemplateTest {
    private static final String V1_SYS = "A chat between a curious user and an artificial intelligence assistant. "
            + "The assistant gives helpful, detailed, and polite answers to the user's questions.";

    @Test
    void registryHasEveryReferenceKeyWithAliasesSharingOneTemplate() {
        assertEquals(
                List.of(
                        "default",
                        "v0",
                        "v1",
                        "vicuna_v1",
                        "llama_2",
                        "plain",
                        "v0_plain",
                        "share4v_v0",
                        "v0_mmtag",
                        "share4v_v1",
                        "v1_mmtag",
                        "share4v_llama_2"),
                List.copyOf(ConversationTemplates.names()));
        assertSame(ConversationTemplates.get("v1"), ConversationTemplates.get("vicuna_v1"));
        assertSame(ConversationTemplates.get("plain"), ConversationTemplates.get("v0_plain"));
        assertSame(ConversationTemplates.get("default"), ConversationTemplates.get("v0"));
        assertEquals(2, ConversationTemplates.get("v0").messages().size());
        assertEquals(2, ConversationTemplates.get("v0").offset());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ConversationTemplates.get("vicuna"));
        assertTrue(e.getMessage().contains("'vicuna'"), e.getMessage());
        assertTrue(e.getMessage().contains("share4v_v1") && e.getMessage().contains("plain"), e.getMessage());
    }

    @Test
    void twoStyle_inferenceFormEndsWithBareAssistantColon() {
        ConversationTemplate t = ConversationTemplates.get("vicuna_v1")
                .append("USER", "<image>\nQ")
                .append("ASSISTANT", null);
        assertEquals(V1_SYS + " USER: <image>\nQ ASSISTANT:", t.prompt());
    }

    @Test
    void twoStyle_emptyMessageRendersLikeNone() {
        ConversationTemplate t = ConversationTemplates.get("v1")
                .append("USER", "q")
                .append("ASSISTANT", "")
                .append("USER", "q2")
                .append("ASSISTANT", "a2");
        assertEquals(V1_SYS + " USER: q ASSISTANT:USER: q2 ASSISTANT: a2</s>", t.prompt());
    }

    @Test
    void imageMessageMovesPlaceholderToTheFront() {
        ConversationTemplate t = ConversationTemplates.get("v1")
                .appendWithImage("USER", " What is this?\n<image> ")
                .append("ASSISTANT", null);
        assertEquals(V1_SYS + " USER: <image>\nWhat is this? ASSISTANT:", t.prompt());
        // mmtag versions put the image in its own leading exchange instead.
        ConversationTemplate m = ConversationTemplates.get("v1_mmtag")
                .appendWithImage("USER", "<image>\nQ")
                .append("ASSISTANT", null);
        assertEquals(
                ConversationTemplates.get("v1_mmtag").system()
                        + " USER: <Image><image></Image> ASSISTANT: Received.</s>USER: Q ASSISTANT:",
                m.prompt());
    }

    @Test
    void singleStyle_withFewShotMessages() {
        ConversationTemplate v0 = ConversationTemplates.get("v0");
        String fewShot = v0.messages().get(1).text();
        assertTrue(fewShot.startsWith("Renewable energy sources are those")
                && fewShot.endsWith("economic and social instability.\n"));
        String p = v0.append("Human", "Hi").append("Assistant", null).prompt();
        assertEquals(
                v0.system()
                        + "###Human: What are the key differences between renewable and non-renewable energy sources?###"
                        + "Assistant: " + fewShot + "###Human: Hi###Assistant:",
                p);
        assertEquals(
                "A chat between a curious human and an artificial intelligence assistant. The assistant gives helpful, "
                        + "detailed, and polite answers to the human's questions.###Human: x###Assistant:",
                ConversationTemplates.get("share4v_v0")
                        .append("Human", "x")
                        .append("Assistant", null)
                        .prompt());
    }

    @Test
    void plainStyle_firstMessagePlusSep_andNoSep2ForASecond() {
        ConversationTemplate plain = ConversationTemplates.get("plain");
        assertEquals("<image>\n", plain.append("", "<image>").append("", null).prompt());
        // The reference evaluates "caption" + None here and raises TypeError.
        assertThrows(
                IllegalStateException.class,
                () -> plain.append("", "<image>").append("", "caption").prompt());
    }

    @Test
    void llama2Style() {
        ConversationTemplate t = ConversationTemplates.get("share4v_llama_2")
                .append("USER", "Q1")
                .append("ASSISTANT", "A1")
                .append("USER", "Q2")
                .append("ASSISTANT", null);
        assertEquals(
                "[INST] <<SYS>>\nYou are a helpful language and vision assistant. You are able to understand the visual "
                        + "content that the user provides, and assist the user with a variety of tasks using natural language.\n<</SYS>>\n\n"
                        + "Q1 [/INST] A1 </s><s>[INST] Q2 [/INST]",
                t.prompt());
        assertTrue(ConversationTemplates.get("llama_2").system().contains("while being safe.  Your answers"));
        assertThrows(
                IllegalStateException.class,
                () -> ConversationTemplates.get("llama_2")
                        .append("ASSISTANT", "x")
                        .prompt());
    }

    @Test
    void pythonSplitAndStripSemantics() {
        assertEquals(List.of("a", "", "b", ""), PyStr.split("a</s></s>b</s>", "</s>"));
        assertEquals(List.of(""), PyStr.split("", "</s>"));
        assertEquals("x", PyStr.strip("\u00a0\u3000\u2007\u0085\u001c x \u202f\r\n"));
        assertEquals("\u200bx", PyStr.strip("\u200bx")); // zero-width space is not whitespace in Python
        assertEquals("[INST]", PyStr.lstrip("<s><<s>[INST]", "<s>"));
    }
}
