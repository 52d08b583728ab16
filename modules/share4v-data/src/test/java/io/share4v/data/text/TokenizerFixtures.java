package io.share4v.data.text;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where the committed tokenizer test resources live (src/test/resources/tokenizer). */
final class TokenizerFixtures {
    static final Path ROOT = resource("tokenizer");
    static final Path LLAMA2_DIR = ROOT.resolve("llama2");

    private TokenizerFixtures() {}

    private static Path resource(String name) {
        try {
            return Path.of(
                    TokenizerFixtures.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }
}
