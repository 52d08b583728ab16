package io.share4v.data.text;

import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format to read a SentencePiece {@code ModelProto}. Hand-written because no
 * maintained Java library reads {@code tokenizer.model}, and pulling protobuf-java plus generated classes into
 * every Spark executor for five messages is not worth it. Reads over a byte range without copying.
 */
final class ProtoWireReader {
    static final int VARINT = 0, FIXED64 = 1, LENGTH_DELIMITED = 2, FIXED32 = 5;

    private final byte[] buf;
    private final String source;
    private int pos;
    private final int limit;

    ProtoWireReader(byte[] buf, int from, int to, String source) {
        this.buf = buf;
        this.pos = from;
        this.limit = to;
        this.source = source;
    }

    boolean hasMore() {
        return pos < limit;
    }

    /** Returns the next tag (field number << 3 | wire type). */
    int readTag() {
        long tag = readVarint();
        if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) throw malformed("invalid field tag " + tag);
        return (int) tag;
    }

    long readVarint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) throw malformed("truncated varint");
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) return result;
        }
        throw malformed("varint longer than 10 bytes");
    }

    /** proto2 int32: a negative value travels as a 10-byte varint of its sign-extended 64-bit form. */
    int readInt32() {
        return (int) readVarint();
    }

    boolean readBool() {
        return readVarint() != 0;
    }

    float readFloat() {
        if (limit - pos < 4) throw malformed("truncated fixed32");
        int bits = (buf[pos] & 0xFF)
                | (buf[pos + 1] & 0xFF) << 8
                | (buf[pos + 2] & 0xFF) << 16
                | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    /** Reader over the next length-delimited field; this reader moves past it. */
    ProtoWireReader readMessage() {
        int len = readLength();
        ProtoWireReader sub = new ProtoWireReader(buf, pos, pos + len, source);
        pos += len;
        return sub;
    }

    String readString() {
        int len = readLength();
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    byte[] readBytes() {
        int len = readLength();
        byte[] out = java.util.Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return out;
    }

    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> readVarint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(readLength());
            case FIXED32 -> advance(4);
            default -> throw malformed("unsupported wire type " + wireType);
        }
    }

    void expectWireType(int tag, int wireType, String field) {
        if ((tag & 7) != wireType) {
            throw malformed("field " + field + " has wire type " + (tag & 7) + ", expected " + wireType);
        }
    }

    private int readLength() {
        long len = readVarint();
        if (len < 0 || len > limit - pos) throw malformed("length " + len + " runs past the end of its message");
        return (int) len;
    }

    private void advance(int n) {
        if (n > limit - pos) throw malformed("truncated field");
        pos += n;
    }

    TokenizerLoadException malformed(String what) {
        return new TokenizerLoadException(
                source + ": not a valid SentencePiece model (" + what + " at byte " + pos + ")");
    }
}
