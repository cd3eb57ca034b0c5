package dev.clusteremu.server.rdb;

import java.util.Arrays;

/**
 * The serialized value DUMP returns and RESTORE, MIGRATE and RESTORE-ASKING take (cluster.c
 * createDumpPayload / verifyDumpPayload):
 * <pre>
 *   type byte | encoded value (as in an RDB file) | RDB version, 2 bytes LE | CRC-64, 8 bytes LE
 * </pre>
 * The CRC covers everything before it, the version included.
 *
 * @param type the value's {@link RdbType}
 * @param value the encoded value bytes that follow the type byte
 */
public record DumpPayload(int type, byte[] value) {

    /** RESTORE's reply when the footer is missing, from a newer RDB version, or the CRC does not match. */
    public static final String BAD_VERSION_OR_CHECKSUM = "ERR DUMP payload version or checksum are wrong";
    /** RESTORE's reply when the footer is fine but the type or value cannot be read. */
    public static final String BAD_DATA_FORMAT = "ERR Bad data format";

    /** The 2-byte version and 8-byte CRC after the value. */
    private static final int FOOTER_LENGTH = 10;

    /** The payload for a value of {@code type} whose encoded bytes are {@code encodedValue}. */
    public static byte[] create(int type, byte[] encodedValue) {
        byte[] payload = new byte[1 + encodedValue.length + FOOTER_LENGTH];
        payload[0] = (byte) type;
        System.arraycopy(encodedValue, 0, payload, 1, encodedValue.length);
        int footer = 1 + encodedValue.length;
        payload[footer] = (byte) RdbEncoder.RDB_VERSION;
        payload[footer + 1] = (byte) (RdbEncoder.RDB_VERSION >>> 8);
        long crc = Crc64.update(0, payload, 0, footer + 2);
        for (int i = 0; i < 8; i++) {
            payload[footer + 2 + i] = (byte) (crc >>> (8 * i));
        }
        return payload;
    }

    /** What Redis 7.0's DUMP returns for a string key holding {@code value}. */
    public static byte[] ofString(byte[] value) {
        return create(RdbType.STRING, StringEncoding.encode(value));
    }

    /**
     * verifyDumpPayload: at least the 10-byte footer, an RDB version of at most 10, and a CRC-64 that
     * matches. (Redis has no lower bound on the version and no check of the type here.)
     */
    public static boolean verify(byte[] payload) {
        if (payload.length < FOOTER_LENGTH) {
            return false;
        }
        int footer = payload.length - FOOTER_LENGTH;
        int rdbVersion = (payload[footer] & 0xff) | (payload[footer + 1] & 0xff) << 8;
        if (rdbVersion > RdbEncoder.RDB_VERSION) {
            return false;
        }
        long crc = Crc64.update(0, payload, 0, payload.length - 8);
        for (int i = 0; i < 8; i++) {
            if (payload[footer + 2 + i] != (byte) (crc >>> (8 * i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The type and value bytes of a payload RESTORE would accept.
     *
     * @throws RdbFormatException with {@link #BAD_VERSION_OR_CHECKSUM} when {@link #verify} fails, or
     *     {@link #BAD_DATA_FORMAT} when there is no valid type byte before the footer
     */
    public static DumpPayload parse(byte[] payload) throws RdbFormatException {
        if (!verify(payload)) {
            throw new RdbFormatException(BAD_VERSION_OR_CHECKSUM);
        }
        int footer = payload.length - FOOTER_LENGTH;
        if (footer < 1 || !RdbType.isObjectType(payload[0] & 0xff)) {
            throw new RdbFormatException(BAD_DATA_FORMAT);
        }
        return new DumpPayload(payload[0] & 0xff, Arrays.copyOfRange(payload, 1, footer));
    }

    /** This payload's bytes, footer included. */
    public byte[] toBytes() {
        return create(type, value);
    }

    /**
     * The string a STRING payload holds.
     *
     * @throws RdbFormatException with {@link #BAD_DATA_FORMAT} when this is not a well-formed string value
     */
    public byte[] stringValue() throws RdbFormatException {
        if (type != RdbType.STRING) {
            throw new RdbFormatException(BAD_DATA_FORMAT);
        }
        try {
            return StringEncoding.decode(value);
        } catch (RdbFormatException e) {
            throw new RdbFormatException(BAD_DATA_FORMAT, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DumpPayload other && type == other.type && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "DumpPayload[type=" + type + ", value=" + value.length + " bytes]";
    }
}
