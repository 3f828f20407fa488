package com.example.subscriptions.privacy;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;

/** The data converter of privacy mode, for every Temporal client and worker the service creates. */
public final class PrivateDataConverter {

    private PrivateDataConverter() {}

    /**
     * The SDK's default conversion, then encryption of every payload (inputs, results, query answers, memo values,
     * failure details); failure messages and stack traces move into encrypted attributes too, since an SMTP reply
     * quoted in a message names the address.
     */
    public static DataConverter of(KeyRing keys) {
        return new CodecDataConverter(
                DefaultDataConverter.newDefaultInstance(), List.of(new AesGcmPayloadCodec(keys)), true);
    }
}
