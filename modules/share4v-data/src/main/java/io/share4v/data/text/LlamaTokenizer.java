package io.share4v.data.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The slow {@code LlamaTokenizer} of transformers 4.31.0 (what ShareGPT4V trains and evaluates with:
 * {@code use_fast=False}, {@code legacy=false}), id for id, in both {@code legacy} modes.
 *
 * <p>Encoding, as 4.31 does it: with {@code legacy=false} the text becomes {@code "▁" + text} with every literal
 * {@code ▁} turned into a space; the text is cut on the special tokens ({@code <s>}, {@code </s>}, {@code <unk>},
 * leftmost then longest; whitespace next to one is eaten only if that token says lstrip/rstrip); every other
 * chunk is SentencePiece-encoded on its own. With {@code legacy=false} the first chunk loses the added
 * {@code ▁} before encoding, and a later chunk not starting with a space loses the {@code ▁} of its first
 * piece ({@code "▁US"} becomes {@code "US"}; a piece that was only {@code "▁"} disappears; a shortened piece
 * missing from the vocabulary becomes {@code <unk>}). BOS/EOS are added per the config.
 *
 * <p>Immutable and safe to share between threads; each thread gets its own scratch buffers.
 */
public final class LlamaTokenizer {
    private static final char SPACE_SYMBOL = '\u2581';

    private final SentencePieceModel sp;
    private final LlamaTokenizerConfig config;
    private final String fingerprint;
    private final String[] specialContents; // longest first: the split takes the longest match at a position
    private final SpecialToken[] specialTokens;
    private final int[] specialContentIds;
    private final boolean[] specialFirstChar = new boolean[65536];
    private final boolean[] isSpecialId; // HF all_special_ids, dropped by decode(skipSpecialTokens=true)
    private final boolean[] isSpecialPiece; // piece text is in HF all_special_tokens
    private final int[] withoutLeadingSpace; // id of piece minus its leading ▁; -1: piece was just ▁
    private final int bosId;
    private final int eosId;
    private final int unkId;
    private final int padId;
    private final ThreadLocal<IntList> scratch = ThreadLocal.withInitial(() -> new IntList(512));

    private LlamaTokenizer(SentencePieceModel sp, LlamaTokenizerConfig config, String fingerprint) {
        this.sp = sp;
        this.config = config;
        this.fingerprint = fingerprint;
        // HF keeps one entry per text; bos, eos, unk, pad order, first wins.
        Map<String, SpecialToken> specials = new LinkedHashMap<>();
        for (SpecialToken t : new SpecialToken[] {config.bos(), config.eos(), config.unk(), config.pad()}) {
            if (t != null) specials.putIfAbsent(t.content(), t);
        }
        List<SpecialToken> ordered = new ArrayList<>(specials.values());
        ordered.sort((a, b) -> b.content().length() - a.content().length());
        specialTokens = ordered.toArray(new SpecialToken[0]);
        specialContents = new String[specialTokens.length];
        specialContentIds = new int[specialTokens.length];
        isSpecialId = new boolean[sp.size()];
        isSpecialPiece = new boolean[sp.size()];
        for (int i = 0; i < specialTokens.length; i++) {
            String content = specialTokens[i].content();
            specialContents[i] = content;
            specialContentIds[i] = idOfSpecial(sp, content);
            specialFirstChar[content.charAt(0)] = true;
            isSpecialId[specialContentIds[i]] = true;
        }
        for (int id = 0; id < sp.size(); id++) isSpecialPiece[id] = specials.containsKey(sp.piece(id));
        withoutLeadingSpace = new int[sp.size()];
        for (int id = 0; id < sp.size(); id++) {
            String piece = sp.piece(id);
            if (piece.length() > 0 && piece.charAt(0) == SPACE_SYMBOL) {
                withoutLeadingSpace[id] = piece.length() == 1 ? -1 : sp.pieceToId(piece.substring(1));
            } else {
                withoutLeadingSpace[id] = id;
            }
        }
        bosId = idOfSpecial(sp, config.bos().content());
        eosId = idOfSpecial(sp, config.eos().content());
        unkId = idOfSpecial(sp, config.unk().content());
        padId = config.pad() == null ? unkId : idOfSpecial(sp, config.pad().content());
    }

    /**
     * Loads {@code tokenizer.model} and the optional {@code tokenizer_config.json}/{@code special_tokens_map.json}
     * from a model folder (see {@link LlamaTokenizerConfig#read}).
     */
    public static LlamaTokenizer load(Path modelDir) {
        return load(modelDir, null);
    }

    /** As {@link #load(Path)}, with {@code legacy} forced when {@code legacyOverride} is not null. */
    public static LlamaTokenizer load(Path modelDir, Boolean legacyOverride) {
        LlamaTokenizerConfig config = LlamaTokenizerConfig.read(modelDir);
        if (legacyOverride != null) config = config.withLegacy(legacyOverride);
        return loadModelFile(modelDir.resolve("tokenizer.model"), config);
    }

    /** A tokenizer from a model file and explicit settings. */
    public static LlamaTokenizer loadModelFile(Path modelFile, LlamaTokenizerConfig config) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(modelFile);
        } catch (NoSuchFileException e) {
            throw new TokenizerLoadException(modelFile + ": tokenizer model file not found");
        } catch (IOException e) {
            throw new TokenizerLoadException(modelFile + ": cannot read tokenizer model (" + e + ")", e);
        }
        return fromBytes(bytes, modelFile.toString(), config);
    }

    /** A tokenizer from the bytes of a {@code tokenizer.model}; {@code source} names it in errors. */
    public static LlamaTokenizer fromBytes(byte[] modelBytes, String source, LlamaTokenizerConfig config) {
        SentencePieceModel model = SentencePieceModel.parse(modelBytes, source);
        return new LlamaTokenizer(model, config, fingerprint(modelBytes, config));
    }

    // ---------------------------------------------------------------- encode

    /** HF {@code tokenizer(text).input_ids}: special tokens added per the config. */
    public int[] encode(String text) {
        return encode(text, true);
    }

    /** HF {@code tokenizer(text, add_special_tokens=addSpecialTokens).input_ids}. */
    public int[] encode(String text, boolean addSpecialTokens) {
        IntList out = scratch.get();
        out.clear();
        if (addSpecialTokens && config.addBosToken()) out.add(bosId);
        String t = config.legacy() ? text : SPACE_SYMBOL + text.replace(SPACE_SYMBOL, ' ');
        int n = t.length();
        int chunkStart = 0;
        SpecialToken previous = null;
        int i = 0;
        while (i < n) {
            int s = specialAt(t, i);
            if (s < 0) {
                i++;
                continue;
            }
            SpecialToken special = specialTokens[s];
            encodeChunk(t, chunkStart, i, previous, special, out);
            out.add(specialContentIds[s]);
            previous = special;
            i += special.content().length();
            chunkStart = i;
        }
        encodeChunk(t, chunkStart, n, previous, null, out);
        if (addSpecialTokens && config.addEosToken()) out.add(eosId);
        return out.toArray();
    }

    /** Index of the longest special token starting at {@code t[i]}, or -1. */
    private int specialAt(String t, int i) {
        if (!specialFirstChar[t.charAt(i)]) return -1;
        for (int s = 0; s < specialContents.length; s++) {
            if (t.startsWith(specialContents[s], i)) return s;
        }
        return -1;
    }

    /** One chunk between special tokens: 4.31's whitespace stripping and {@code _tokenize}. */
    private void encodeChunk(String t, int from, int to, SpecialToken left, SpecialToken right, IntList out) {
        if (left != null && left.rstrip()) {
            while (from < to && PyStr.isSpace(t.codePointAt(from))) from += Character.charCount(t.codePointAt(from));
        }
        if (right != null && right.lstrip()) {
            while (to > from && PyStr.isSpace(t.codePointBefore(to))) to -= Character.charCount(t.codePointBefore(to));
        }
        if (from >= to) return; // HF skips empty chunks
        BpeSegmenter segmenter = sp.segmenters.get();
        if (config.legacy()) {
            segmenter.encode(t, from, to, out);
            return;
        }
        boolean isFirst = t.charAt(from) == SPACE_SYMBOL;
        if (isFirst) from++;
        int mark = out.size;
        segmenter.encode(t, from, to, out);
        if (!isFirst && t.charAt(from) != ' ' && out.size > mark) {
            int first = out.a[mark];
            int replacement = withoutLeadingSpace[first];
            if (replacement == -1) {
                System.arraycopy(out.a, mark + 1, out.a, mark, out.size - mark - 1);
                out.size--;
            } else {
                out.a[mark] = replacement;
            }
        }
    }

    // ---------------------------------------------------------------- decode

    /**
     * HF {@code tokenizer.decode(ids, skip_special_tokens=..., clean_up_tokenization_spaces=False)} of 4.31:
     * pieces between special tokens are decoded by SentencePiece (so each run loses one leading space), and a
     * special token is preceded by a space unless it comes first or right after another special token.
     */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        StringBuilder sb = new StringBuilder(ids.length * 4);
        IntList run = new IntList(ids.length);
        boolean prevSpecial = false;
        int tokenIndex = 0;
        for (int id : ids) {
            sp.checkId(id);
            if (skipSpecialTokens && isSpecialId[id]) continue;
            if (isSpecialPiece[id]) {
                if (!prevSpecial && tokenIndex != 0) sb.append(' ');
                PieceDecoder.decodeRun(sp, run.a, 0, run.size, sb);
                run.clear();
                sb.append(sp.piece(id));
                prevSpecial = true;
            } else {
                run.add(id);
                prevSpecial = false;
            }
            tokenIndex++;
        }
        PieceDecoder.decodeRun(sp, run.a, 0, run.size, sb);
        return sb.toString();
    }

    // ---------------------------------------------------------------- vocabulary and settings

    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    public int unkId() {
        return unkId;
    }

    /** The pad id: the configured pad token, else {@code <unk>} (ShareGPT4V sets pad = unk at run time). */
    public int padId() {
        return padId;
    }

    public int vocabSize() {
        return sp.size();
    }

    public boolean legacy() {
        return config.legacy();
    }

    public LlamaTokenizerConfig config() {
        return config;
    }

    public SentencePieceModel model() {
        return sp;
    }

    public String pieceOf(int id) {
        return sp.piece(id);
    }

    /** sentencepiece's piece_to_id: the unk id for text that is not a piece. */
    public int idOf(String piece) {
        return sp.pieceToId(piece);
    }

    /** sha256 (hex) over the tokenizer.model bytes and the effective settings; changes whenever ids could. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String toString() {
        return "LlamaTokenizer[" + sp.source() + ", " + config.canonical() + "]";
    }

    private static int idOfSpecial(SentencePieceModel sp, String content) {
        int id = sp.pieceToId(content);
        if (id == sp.unkId() && !content.equals(sp.piece(sp.unkId()))) {
            throw new TokenizerLoadException(sp.source() + ": special token \"" + content
                    + "\" is not in the vocabulary; added tokens are not supported");
        }
        return id;
    }

    private static String fingerprint(byte[] modelBytes, LlamaTokenizerConfig config) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(modelBytes);
            md.update(("\n" + config.canonical()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
