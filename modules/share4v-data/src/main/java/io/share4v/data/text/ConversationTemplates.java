package io.share4v.data.text;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every template of the reference's {@code conv_templates} dict, under the same keys, with the exact strings
 * (they decide token ids, so nothing here may be reworded). Aliases share one template object, as in the
 * reference. Only {@code v1} (stage 2) and {@code plain} (stage 1) are used by the released models.
 */
public final class ConversationTemplates {
    private static final String CURIOUS_USER_SYSTEM =
            "A chat between a curious user and an artificial intelligence assistant. "
                    + "The assistant gives helpful, detailed, and polite answers to the user's questions.";
    private static final String CURIOUS_HUMAN_SYSTEM =
            "A chat between a curious human and an artificial intelligence assistant. "
                    + "The assistant gives helpful, detailed, and polite answers to the human's questions.";
    private static final String MMTAG_SYSTEM =
            "A chat between a curious user and an artificial intelligence assistant. "
                    + "The assistant is able to understand the visual content that the user provides, and assist the user with a variety of tasks using natural language."
                    + "The visual content will be provided with the following format: <Image>visual content</Image>.";
    private static final String LLAMA_2_SYSTEM =
            "You are a helpful, respectful and honest assistant. Always answer as helpfully as possible, while being safe.  "
                    + "Your answers should not include any harmful, unethical, racist, sexist, toxic, dangerous, or illegal content. "
                    + "Please ensure that your responses are socially unbiased and positive in nature.\n\n"
                    + "If a question does not make any sense, or is not factually coherent, explain why instead of answering something not correct. "
                    + "If you don't know the answer to a question, please don't share false information.";
    private static final String SHARE4V_LLAMA_2_SYSTEM = "You are a helpful language and vision assistant. "
            + "You are able to understand the visual content that the user provides, "
            + "and assist the user with a variety of tasks using natural language.";
    private static final List<String> USER_ASSISTANT = List.of("USER", "ASSISTANT");
    private static final List<String> HUMAN_ASSISTANT = List.of("Human", "Assistant");
    /** The reference's dataclass default for {@code version}. */
    private static final String UNKNOWN_VERSION = "Unknown";

    public static final ConversationTemplate VICUNA_V0 = new ConversationTemplate(
            CURIOUS_HUMAN_SYSTEM,
            HUMAN_ASSISTANT,
            List.of(
                    Message.of(
                            "Human",
                            "What are the key differences between renewable and non-renewable energy sources?"),
                    Message.of(
                            "Assistant",
                            "Renewable energy sources are those that can be replenished naturally in a relatively "
                                    + "short amount of time, such as solar, wind, hydro, geothermal, and biomass. "
                                    + "Non-renewable energy sources, on the other hand, are finite and will eventually be "
                                    + "depleted, such as coal, oil, and natural gas. Here are some key differences between "
                                    + "renewable and non-renewable energy sources:\n"
                                    + "1. Availability: Renewable energy sources are virtually inexhaustible, while non-renewable "
                                    + "energy sources are finite and will eventually run out.\n"
                                    + "2. Environmental impact: Renewable energy sources have a much lower environmental impact "
                                    + "than non-renewable sources, which can lead to air and water pollution, greenhouse gas emissions, "
                                    + "and other negative effects.\n"
                                    + "3. Cost: Renewable energy sources can be more expensive to initially set up, but they typically "
                                    + "have lower operational costs than non-renewable sources.\n"
                                    + "4. Reliability: Renewable energy sources are often more reliable and can be used in more remote "
                                    + "locations than non-renewable sources.\n"
                                    + "5. Flexibility: Renewable energy sources are often more flexible and can be adapted to different "
                                    + "situations and needs, while non-renewable sources are more rigid and inflexible.\n"
                                    + "6. Sustainability: Renewable energy sources are more sustainable over the long term, while "
                                    + "non-renewable sources are not, and their depletion can lead to economic and social instability.\n")),
            2,
            SeparatorStyle.SINGLE,
            "###",
            null,
            UNKNOWN_VERSION);

    public static final ConversationTemplate VICUNA_V1 = new ConversationTemplate(
            CURIOUS_USER_SYSTEM, USER_ASSISTANT, List.of(), 0, SeparatorStyle.TWO, " ", "</s>", "v1");

    public static final ConversationTemplate LLAMA_2 = new ConversationTemplate(
            LLAMA_2_SYSTEM, USER_ASSISTANT, List.of(), 0, SeparatorStyle.LLAMA_2, "<s>", "</s>", "llama_v2");

    public static final ConversationTemplate SHARE4V_LLAMA_2 = new ConversationTemplate(
            SHARE4V_LLAMA_2_SYSTEM, USER_ASSISTANT, List.of(), 0, SeparatorStyle.LLAMA_2, "<s>", "</s>", "llama_v2");

    public static final ConversationTemplate SHARE4V_PLAIN = new ConversationTemplate(
            "", List.of("", ""), List.of(), 0, SeparatorStyle.PLAIN, "\n", null, UNKNOWN_VERSION);

    public static final ConversationTemplate SHARE4V_V0 = new ConversationTemplate(
            CURIOUS_HUMAN_SYSTEM, HUMAN_ASSISTANT, List.of(), 0, SeparatorStyle.SINGLE, "###", null, UNKNOWN_VERSION);

    public static final ConversationTemplate SHARE4V_V0_MMTAG = new ConversationTemplate(
            MMTAG_SYSTEM, HUMAN_ASSISTANT, List.of(), 0, SeparatorStyle.SINGLE, "###", null, "v0_mmtag");

    public static final ConversationTemplate SHARE4V_V1 = new ConversationTemplate(
            CURIOUS_HUMAN_SYSTEM, USER_ASSISTANT, List.of(), 0, SeparatorStyle.TWO, " ", "</s>", "v1");

    public static final ConversationTemplate SHARE4V_V1_MMTAG = new ConversationTemplate(
            MMTAG_SYSTEM, USER_ASSISTANT, List.of(), 0, SeparatorStyle.TWO, " ", "</s>", "v1_mmtag");

    private static final Map<String, ConversationTemplate> BY_NAME;

    static {
        Map<String, ConversationTemplate> m = new LinkedHashMap<>();
        m.put("default", VICUNA_V0);
        m.put("v0", VICUNA_V0);
        m.put("v1", VICUNA_V1);
        m.put("vicuna_v1", VICUNA_V1);
        m.put("llama_2", LLAMA_2);
        m.put("plain", SHARE4V_PLAIN);
        m.put("v0_plain", SHARE4V_PLAIN);
        m.put("share4v_v0", SHARE4V_V0);
        m.put("v0_mmtag", SHARE4V_V0_MMTAG);
        m.put("share4v_v1", SHARE4V_V1);
        m.put("v1_mmtag", SHARE4V_V1_MMTAG);
        m.put("share4v_llama_2", SHARE4V_LLAMA_2);
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private ConversationTemplates() {}

    /** The template registered under {@code name}; an unknown name is an error listing the known ones. */
    public static ConversationTemplate get(String name) {
        ConversationTemplate t = name == null ? null : BY_NAME.get(name);
        if (t == null) {
            throw new IllegalArgumentException("unknown conversation template '" + name + "'; known: " + names());
        }
        return t;
    }

    public static boolean isKnown(String name) {
        return name != null && BY_NAME.containsKey(name);
    }

    /** Registered names in the reference's order. */
    public static Set<String> names() {
        return BY_NAME.keySet();
    }
}
