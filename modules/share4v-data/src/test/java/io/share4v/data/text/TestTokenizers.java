package io.share4v.data.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The LLaMA-2 tokenizer copy in test resources, as released (legacy=false) and with legacy=true. */
final class TestTokenizers {
    private static LlamaTokenizer released;

    private TestTokenizers() {}

    static Path llama2Dir() {
        try {
            return Path.of(TestTokenizers.class
                            .getResource("/tokenizer/llama2/tokenizer.model")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized LlamaTokenizer released() {
        if (released == null) {
            released = LlamaTokenizer.load(llama2Dir());
        }
        return released;
    }

    /** Same model with {@code "legacy": true} in a copied tokenizer_config.json. */
    static LlamaTokenizer legacy(Path tempDir) {
        try {
            Files.copy(llama2Dir().resolve("tokenizer.model"), tempDir.resolve("tokenizer.model"));
            ObjectMapper m = new ObjectMapper();
            ObjectNode cfg = (ObjectNode)
                    m.readTree(llama2Dir().resolve("tokenizer_config.json").toFile());
            cfg.put("legacy", true);
            m.writeValue(tempDir.resolve("tokenizer_config.json").toFile(), cfg);
            return LlamaTokenizer.load(tempDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
