package io.share4v.data.text;

/** SentencePiece's {@code ModelProto.SentencePiece.Type}, with the proto enum numbers. */
public enum PieceType {
    NORMAL(1),
    UNKNOWN(2),
    CONTROL(3),
    USER_DEFINED(4),
    UNUSED(5),
    BYTE(6);

    final int protoNumber;

    PieceType(int protoNumber) {
        this.protoNumber = protoNumber;
    }

    static PieceType fromProto(int number) {
        for (PieceType t : values()) {
            if (t.protoNumber == number) return t;
        }
        return null;
    }
}
