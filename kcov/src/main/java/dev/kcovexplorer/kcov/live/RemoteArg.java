package dev.kcovexplorer.kcov.live;

import dev.kcovexplorer.kcov.KcovAbi;
import dev.kcovexplorer.kcov.TraceMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The byte layout of {@code struct kcov_remote_arg} on a 64-bit kernel:
 * <pre>
 *   0  u32          trace_mode     KCOV_TRACE_PC or KCOV_TRACE_CMP
 *   4  u32          area_size      size of each remote section's temporary buffer, in words
 *   8  u32          num_handles
 *  12  (4 bytes of padding: the next field is an aligned_u64)
 *  16  aligned_u64  common_handle
 *  24  aligned_u64  handles[num_handles]
 * </pre>
 * The kernel copies {@code sizeof(struct kcov_remote_arg) + num_handles * 8} bytes.
 */
public final class RemoteArg {
    public static final int TRACE_MODE_OFFSET = 0;
    public static final int AREA_SIZE_OFFSET = 4;
    public static final int NUM_HANDLES_OFFSET = 8;
    public static final int COMMON_HANDLE_OFFSET = 16;
    public static final int HANDLES_OFFSET = 24;
    /** {@code sizeof(struct kcov_remote_arg)}: the header without the flexible array. */
    public static final int HEADER_SIZE = 24;

    private RemoteArg() {
    }

    /** The number of bytes the kernel reads for {@code handleCount} handles. */
    public static int sizeWith(int handleCount) {
        return HEADER_SIZE + handleCount * KcovIoctls.WORD_SIZE;
    }

    /**
     * Encodes the argument in native byte order.
     *
     * @param areaWords the per-section buffer size in words (the kernel's {@code remote_size})
     * @param handles   the remote handles (USB bus handles etc.), at most {@link KcovAbi#KCOV_REMOTE_MAX_HANDLES}
     * @param commonHandle the common handle, or 0 for none
     */
    public static ByteBuffer encode(TraceMode mode, int areaWords, long[] handles, long commonHandle) {
        if (handles.length > KcovAbi.KCOV_REMOTE_MAX_HANDLES) {
            throw new IllegalArgumentException(handles.length + " remote handles; the kernel accepts at most "
                    + KcovAbi.KCOV_REMOTE_MAX_HANDLES);
        }
        if (areaWords < 2) {
            throw new IllegalArgumentException("remote area size " + areaWords + " words: at least 2 needed");
        }
        ByteBuffer buffer = ByteBuffer.allocate(sizeWith(handles.length)).order(ByteOrder.nativeOrder());
        buffer.putInt(TRACE_MODE_OFFSET, mode.kernelValue());
        buffer.putInt(AREA_SIZE_OFFSET, areaWords);
        buffer.putInt(NUM_HANDLES_OFFSET, handles.length);
        buffer.putLong(COMMON_HANDLE_OFFSET, commonHandle);
        for (int i = 0; i < handles.length; i++) {
            buffer.putLong(HANDLES_OFFSET + i * KcovIoctls.WORD_SIZE, handles[i]);
        }
        return buffer;
    }
}
