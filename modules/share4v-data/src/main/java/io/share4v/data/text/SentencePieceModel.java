package io.share4v.data.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece BPE model ({@code tokenizer.model}, a serialized {@code ModelProto}) and its encoder, giving
 * the same pieces and ids as sentencepiece's C++ BPE model (0.1.9x) for the settings LLaMA uses: identity
 * normalization, dummy prefix, whitespace escaped to U+2581, byte fallback. Models with features this class
 * does not reproduce (other model types, a precompiled normalization map, whitespace as suffix, no byte
 * fallback) are rejected at load time with the file named. Immutable; safe to share across threads.
 */
public final class SentencePieceModel {
    static final int SPACE_SYMBOL = 0x2581;
    private static final int BPE = 2;

    private final String source;
    private final String[] pieces;
    private final float[] scores;
    private final PieceType[] types;
    private final Map<String, Integer> normalPieceIds; // NORMAL, USER_DEFINED, UNUSED: what merges may produce
    private final Map<String, Integer> reservedPieceIds; // CONTROL, UNKNOWN, BYTE: looked up first by pieceToId
    private final int unkId;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final String unkSurface;
    private final boolean byteFallback;
    private final String normalizerName;
    private final boolean addDummyPrefix;
    private final boolean removeExtraWhitespaces;
    private final boolean escapeWhitespaces;

    // Encoder tables, derived once.
    final int[] byteIds = new int[256];
    final LongIntHashMap singleCodePointPiece; // code point -> id of a one-code-point piece in normalPieceIds
    final LongIntHashMap reservedSingleCodePoint; // code point -> id of a one-code-point reserved piece
    final LongIntHashMap merges; // (left symbol, right symbol) -> id of the concatenated piece
    final int[] canonicalId; // pieceToId(piece(id)): what sentencepiece reports for a piece string
    final boolean hasUnused;
    final UserSymbolTrie userSymbols;
    final boolean wordsAreIndependent;
    final ThreadLocal<BpeSegmenter> segmenters = ThreadLocal.withInitial(() -> new BpeSegmenter(this));

    private SentencePieceModel(String source, Parsed p) {
        this.source = source;
        int n = p.pieces.size();
        this.pieces = p.pieces.toArray(new String[0]);
        this.scores = new float[n];
        this.types = new PieceType[n];
        for (int i = 0; i < n; i++) {
            scores[i] = p.scores.get(i);
            types[i] = p.types.get(i);
        }
        this.unkSurface = p.unkSurface;
        this.byteFallback = p.byteFallback;
        this.normalizerName = p.normalizerName;
        this.addDummyPrefix = p.addDummyPrefix;
        this.removeExtraWhitespaces = p.removeExtraWhitespaces;
        this.escapeWhitespaces = p.escapeWhitespaces;

        normalPieceIds = new HashMap<>(n * 2);
        reservedPieceIds = new HashMap<>();
        int unk = -1;
        boolean[] byteSeen = new boolean[256];
        boolean unused = false;
        List<String> userDefined = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String piece = pieces[i];
            if (piece.isEmpty()) throw invalid("piece " + i + " is empty");
            boolean normal =
                    types[i] == PieceType.NORMAL || types[i] == PieceType.USER_DEFINED || types[i] == PieceType.UNUSED;
            if ((normal ? normalPieceIds : reservedPieceIds).putIfAbsent(piece, i) != null) {
                throw invalid("piece '" + piece + "' (id " + i + ") is defined twice");
            }
            switch (types[i]) {
                case UNKNOWN -> {
                    if (unk >= 0) throw invalid("more than one UNKNOWN piece (ids " + unk + " and " + i + ")");
                    unk = i;
                }
                case USER_DEFINED -> userDefined.add(piece);
                case UNUSED -> unused = true;
                case BYTE -> {
                    int b = byteOfPiece(piece);
                    if (b < 0) throw invalid("byte piece '" + piece + "' (id " + i + ") is not of the form <0xXX>");
                    if (byteSeen[b]) throw invalid("byte piece '" + piece + "' appears twice");
                    byteSeen[b] = true;
                    byteIds[b] = i;
                }
                default -> {}
            }
        }
        if (unk < 0) throw invalid("no UNKNOWN piece");
        this.unkId = unk;
        for (int b = 0; b < 256; b++) {
            if (!byteSeen[b])
                throw invalid("byte_fallback is on but byte piece <0x" + String.format("%02X", b) + "> is missing");
        }
        this.bosId = checkSpecialId("bos_id", p.bosId, n);
        this.eosId = checkSpecialId("eos_id", p.eosId, n);
        this.padId = checkSpecialId("pad_id", p.padId, n);
        if (p.unkId != unk) throw invalid("trainer_spec.unk_id is " + p.unkId + " but the UNKNOWN piece has id " + unk);
        this.hasUnused = unused;
        this.userSymbols = new UserSymbolTrie(userDefined, normalPieceIds);

        canonicalId = new int[n];
        for (int i = 0; i < n; i++) canonicalId[i] = pieceToId(pieces[i]);

        singleCodePointPiece = new LongIntHashMap(1024);
        reservedSingleCodePoint = new LongIntHashMap(16);
        for (int i = 0; i < n; i++) {
            String piece = pieces[i];
            if (piece.codePointCount(0, piece.length()) != 1) continue;
            Integer normalId = normalPieceIds.get(piece);
            if (normalId != null && normalId == i) singleCodePointPiece.put(piece.codePointAt(0), i);
            else reservedSingleCodePoint.put(piece.codePointAt(0), i);
        }
        merges = buildMerges();
        wordsAreIndependent = !unused && userDefined.isEmpty() && noPieceJoinsWordToSpace();
    }

    /**
     * True when no mergeable piece has a U+2581 right after another code point, so BPE never merges across the
     * start of a word and words can be segmented (and cached) separately. UNUSED pieces are excluded because
     * their re-segmentation depends on merges seen anywhere in the text.
     */
    private boolean noPieceJoinsWordToSpace() {
        for (String piece : normalPieceIds.keySet()) {
            for (int k = 1; k < piece.length(); k++) {
                if (piece.charAt(k) == SPACE_SYMBOL && piece.charAt(k - 1) != SPACE_SYMBOL) return false;
            }
        }
        return true;
    }

    /** Reads and validates {@code tokenizer.model}. */
    public static SentencePieceModel load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TokenizerLoadException(file + ": tokenizer model file not found");
        } catch (IOException e) {
            throw new TokenizerLoadException(file + ": cannot read tokenizer model (" + e + ")", e);
        }
        return parse(bytes, file.toString());
    }

    /** Parses a serialized ModelProto; {@code source} names it in error messages. */
    public static SentencePieceModel parse(byte[] bytes, String source) {
        if (bytes.length == 0) throw new TokenizerLoadException(source + ": tokenizer model file is empty");
        Parsed p = new Parsed();
        ProtoWireReader top = new ProtoWireReader(bytes, 0, bytes.length, source);
        while (top.hasMore()) {
            int tag = top.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    top.expectWireType(tag, ProtoWireReader.LENGTH_DELIMITED, "pieces");
                    readPiece(top.readMessage(), p);
                }
                case 2 -> {
                    top.expectWireType(tag, ProtoWireReader.LENGTH_DELIMITED, "trainer_spec");
                    readTrainerSpec(top.readMessage(), p); // repeated occurrences merge, as protobuf does
                }
                case 3 -> {
                    top.expectWireType(tag, ProtoWireReader.LENGTH_DELIMITED, "normalizer_spec");
                    readNormalizerSpec(top.readMessage(), p);
                }
                case 5 -> {
                    top.expectWireType(tag, ProtoWireReader.LENGTH_DELIMITED, "denormalizer_spec");
                    ProtoWireReader d = top.readMessage();
                    while (d.hasMore()) {
                        int t = d.readTag();
                        if ((t >>> 3) == 2 && d.readBytes().length > 0) {
                            throw unsupported(source, "a denormalizer (denormalizer_spec.precompiled_charsmap)");
                        } else if ((t >>> 3) != 2) {
                            d.skip(t & 7);
                        }
                    }
                }
                default -> top.skip(tag & 7); // self_test_data and extensions do not affect encoding
            }
        }
        if (p.pieces.isEmpty())
            throw new TokenizerLoadException(source + ": not a valid SentencePiece model (no pieces)");
        if (p.modelType != BPE) {
            throw unsupported(source, "model_type " + modelTypeName(p.modelType) + " (only BPE is implemented)");
        }
        if (!p.byteFallback)
            throw unsupported(source, "byte_fallback=false (only byte-fallback models are implemented)");
        if (p.treatWhitespaceAsSuffix) throw unsupported(source, "treat_whitespace_as_suffix=true");
        if (p.precompiledCharsmap) {
            throw unsupported(
                    source,
                    "normalizer '" + p.normalizerName
                            + "' with a precompiled_charsmap (only identity normalization is implemented)");
        }
        if (!p.escapeWhitespaces) throw unsupported(source, "escape_whitespaces=false");
        return new SentencePieceModel(source, p);
    }

    // ---------------------------------------------------------------- vocabulary

    public int size() {
        return pieces.length;
    }

    public String piece(int id) {
        checkId(id);
        return pieces[id];
    }

    public float score(int id) {
        checkId(id);
        return scores[id];
    }

    public PieceType type(int id) {
        checkId(id);
        return types[id];
    }

    /** sentencepiece's PieceToId: reserved (control/unknown/byte) pieces first, then the others, else the unk id. */
    public int pieceToId(String piece) {
        Integer id = reservedPieceIds.get(piece);
        if (id == null) id = normalPieceIds.get(piece);
        return id == null ? unkId : id;
    }

    public int unkId() {
        return unkId;
    }

    /** trainer_spec.bos_id, or -1 when the model has none. */
    public int bosId() {
        return bosId;
    }

    public int eosId() {
        return eosId;
    }

    public int padId() {
        return padId;
    }

    public boolean byteFallback() {
        return byteFallback;
    }

    public String normalizerName() {
        return normalizerName;
    }

    public boolean addDummyPrefix() {
        return addDummyPrefix;
    }

    public boolean removeExtraWhitespaces() {
        return removeExtraWhitespaces;
    }

    public boolean escapeWhitespaces() {
        return escapeWhitespaces;
    }

    String unkSurface() {
        return unkSurface;
    }

    String source() {
        return source;
    }

    // ---------------------------------------------------------------- encode / decode

    /** Ids of {@code sp.encode(text)}: normalization, BPE merges, byte fallback. */
    public int[] encode(String text) {
        IntList out = new IntList(text.length() + 4);
        segmenters.get().encode(text, 0, text.length(), out);
        return out.toArray();
    }

    /** {@code sp.decode(pieces)} for the pieces of these ids (the sentencepiece Decode rules, not HF's). */
    public String decode(int[] ids) {
        for (int id : ids) checkId(id);
        StringBuilder sb = new StringBuilder();
        PieceDecoder.decodeRun(this, ids, 0, ids.length, sb);
        return sb.toString();
    }

    boolean isByte(int id) {
        return types[id] == PieceType.BYTE;
    }

    void checkId(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException(
                    "token id " + id + " is outside the vocabulary [0, " + pieces.length + ")");
        }
    }

    // ---------------------------------------------------------------- internals

    /**
     * Every (left, right) symbol pair whose concatenation is a mergeable piece. A symbol is either a mergeable
     * piece (its id) or a single code point that is not one ({@code size() + codePoint}); those are the only
     * strings a BPE symbol can hold, so this table answers exactly what sentencepiece's string lookup of the
     * concatenation answers, without building the string.
     */
    private LongIntHashMap buildMerges() {
        LongIntHashMap m = new LongIntHashMap(pieces.length * 6);
        for (Map.Entry<String, Integer> e : normalPieceIds.entrySet()) {
            String piece = e.getKey();
            int[] cps = piece.codePoints().toArray();
            for (int k = 1; k < cps.length; k++) {
                int left = symbolOf(cps, 0, k);
                int right = symbolOf(cps, k, cps.length);
                if (left >= 0 && right >= 0) m.put(pairKey(left, right), e.getValue());
            }
        }
        return m;
    }

    private int symbolOf(int[] cps, int from, int to) {
        if (to - from == 1) return singleCodePointSymbol(cps[from]);
        Integer id = normalPieceIds.get(new String(cps, from, to - from));
        return id == null ? -1 : id;
    }

    int singleCodePointSymbol(int cp) {
        int id = singleCodePointPiece.get(cp, -1);
        return id >= 0 ? id : pieces.length + cp;
    }

    static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int checkSpecialId(String name, int id, int n) {
        if (id < -1 || id >= n) throw invalid("trainer_spec." + name + " is " + id + ", outside [-1, " + n + ")");
        return id;
    }

    private TokenizerLoadException invalid(String what) {
        return new TokenizerLoadException(source + ": not a valid SentencePiece model (" + what + ")");
    }

    private static TokenizerLoadException unsupported(String source, String what) {
        return new TokenizerLoadException(source + ": unsupported SentencePiece model: " + what);
    }

    private static String modelTypeName(int t) {
        return switch (t) {
            case 1 -> "UNIGRAM";
            case 2 -> "BPE";
            case 3 -> "WORD";
            case 4 -> "CHAR";
            default -> String.valueOf(t);
        };
    }

    static int byteOfPiece(String piece) {
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') return -1;
        int hi = Character.digit(piece.charAt(3), 16), lo = Character.digit(piece.charAt(4), 16);
        if (hi < 0 || lo < 0 || Character.isLowerCase(piece.charAt(3)) || Character.isLowerCase(piece.charAt(4)))
            return -1;
        return hi * 16 + lo;
    }

    private static void readPiece(ProtoWireReader r, Parsed p) {
        String piece = null;
        float score = 0f;
        int type = PieceType.NORMAL.protoNumber;
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    r.expectWireType(tag, ProtoWireReader.LENGTH_DELIMITED, "piece");
                    piece = r.readString();
                }
                case 2 -> {
                    r.expectWireType(tag, ProtoWireReader.FIXED32, "score");
                    score = r.readFloat();
                }
                case 3 -> {
                    r.expectWireType(tag, ProtoWireReader.VARINT, "type");
                    type = r.readInt32();
                }
                default -> r.skip(tag & 7);
            }
        }
        int id = p.pieces.size();
        if (piece == null) throw r.malformed("piece " + id + " has no text");
        PieceType t = PieceType.fromProto(type);
        if (t == null) throw r.malformed("piece " + id + " has unknown type " + type);
        p.pieces.add(piece);
        p.scores.add(score);
        p.types.add(t);
    }

    private static void readTrainerSpec(ProtoWireReader r, Parsed p) {
        while (r.hasMore()) {
            int tag = r.readTag();
            int field = tag >>> 3;
            switch (field) {
                case 3, 24, 35, 40, 41, 42, 43 -> {
                    r.expectWireType(tag, ProtoWireReader.VARINT, "trainer_spec field " + field);
                    long v = r.readVarint();
                    switch (field) {
                        case 3 -> p.modelType = (int) v;
                        case 24 -> p.treatWhitespaceAsSuffix = v != 0;
                        case 35 -> p.byteFallback = v != 0;
                        case 40 -> p.unkId = (int) v;
                        case 41 -> p.bosId = (int) v;
                        case 42 -> p.eosId = (int) v;
                        default -> p.padId = (int) v;
                    }
                }
                case 44 -> {
                    r.expectWireType(tag, ProtoWireReader.LENGTH_DELIMITED, "trainer_spec.unk_surface");
                    p.unkSurface = r.readString();
                }
                default -> r.skip(tag & 7);
            }
        }
    }

    private static void readNormalizerSpec(ProtoWireReader r, Parsed p) {
        while (r.hasMore()) {
            int tag = r.readTag();
            switch (tag >>> 3) {
                case 1 -> {
                    r.expectWireType(tag, ProtoWireReader.LENGTH_DELIMITED, "normalizer_spec.name");
                    p.normalizerName = r.readString();
                }
                case 2 -> {
                    r.expectWireType(tag, ProtoWireReader.LENGTH_DELIMITED, "precompiled_charsmap");
                    p.precompiledCharsmap = r.readBytes().length > 0;
                }
                case 3 -> {
                    r.expectWireType(tag, ProtoWireReader.VARINT, "add_dummy_prefix");
                    p.addDummyPrefix = r.readBool();
                }
                case 4 -> {
                    r.expectWireType(tag, ProtoWireReader.VARINT, "remove_extra_whitespaces");
                    p.removeExtraWhitespaces = r.readBool();
                }
                case 5 -> {
                    r.expectWireType(tag, ProtoWireReader.VARINT, "escape_whitespaces");
                    p.escapeWhitespaces = r.readBool();
                }
                default -> r.skip(tag & 7);
            }
        }
    }

    /** Proto fields with the proto2 defaults of sentencepiece_model.proto. */
    private static final class Parsed {
        final List<String> pieces = new ArrayList<>();
        final List<Float> scores = new ArrayList<>();
        final List<PieceType> types = new ArrayList<>();
        int modelType = 1; // UNIGRAM
        boolean treatWhitespaceAsSuffix;
        boolean byteFallback;
        int unkId = 0, bosId = 1, eosId = 2, padId = -1;
        String unkSurface = " \u2047 ";
        String normalizerName = "";
        boolean precompiledCharsmap;
        boolean addDummyPrefix = true, removeExtraWhitespaces = true, escapeWhitespaces = true;
    }

    @Override
    public String toString() {
        return "SentencePieceModel[" + source + ", " + pieces.length + " pieces, normalizer " + normalizerName
                + ", byte_fallback " + byteFallback + "]";
    }
}
