package dev.kcovexplorer.kcov.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kcovexplorer.kcov.KcovAbi;
import dev.kcovexplorer.kcov.TraceMode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binding's ioctl numbers and struct layout against what gcc makes of {@code <linux/kcov.h>}. */
class KcovAbiTest {
    @TempDir
    static Path workDir;
    static NativeProgram program;
    static Map<String, String> header;

    @BeforeAll
    static void compile() throws Exception {
        program = NativeProgram.compile("kcov_abi.c", workDir);
        header = program.run();
    }

    @Test
    void ioctlNumbersMatchTheHeader() {
        assertThat(KcovIoctls.KCOV_INIT_TRACE).isEqualTo(Long.parseUnsignedLong(header.get("KCOV_INIT_TRACE")));
        assertThat(KcovIoctls.KCOV_ENABLE).isEqualTo(Long.parseUnsignedLong(header.get("KCOV_ENABLE")));
        assertThat(KcovIoctls.KCOV_DISABLE).isEqualTo(Long.parseUnsignedLong(header.get("KCOV_DISABLE")));
        assertThat(KcovIoctls.KCOV_REMOTE_ENABLE)
                .isEqualTo(Long.parseUnsignedLong(header.get("KCOV_REMOTE_ENABLE")));
        assertThat(KcovAbi.KCOV_REMOTE_MAX_HANDLES)
                .isEqualTo(Integer.parseInt(header.get("KCOV_REMOTE_MAX_HANDLES")));
    }

    @Test
    void traceModesMatchTheHeader() {
        assertThat(TraceMode.PC.kernelValue()).isEqualTo(Integer.parseInt(header.get("KCOV_TRACE_PC")));
        assertThat(TraceMode.CMP.kernelValue()).isEqualTo(Integer.parseInt(header.get("KCOV_TRACE_CMP")));
    }

    @Test
    void remoteArgLayoutMatchesTheHeader() {
        assertThat(RemoteArg.TRACE_MODE_OFFSET).isEqualTo(Integer.parseInt(header.get("offsetof.trace_mode")));
        assertThat(RemoteArg.AREA_SIZE_OFFSET).isEqualTo(Integer.parseInt(header.get("offsetof.area_size")));
        assertThat(RemoteArg.NUM_HANDLES_OFFSET).isEqualTo(Integer.parseInt(header.get("offsetof.num_handles")));
        assertThat(RemoteArg.COMMON_HANDLE_OFFSET)
                .isEqualTo(Integer.parseInt(header.get("offsetof.common_handle")));
        assertThat(RemoteArg.HANDLES_OFFSET).isEqualTo(Integer.parseInt(header.get("offsetof.handles")));
        assertThat(RemoteArg.HEADER_SIZE).isEqualTo(Integer.parseInt(header.get("sizeof")));
    }

    @Test
    void encodedArgumentIsByteForByteWhatCBuilds() throws Exception {
        long[][] handleSets = {{}, {0x0100000000000001L}, {0x0100000000000001L, 0x0100000000000002L, 0x01000000000000ffL}};
        for (long[] handles : handleSets) {
            String[] args = new String[3 + handles.length];
            args[0] = "1";
            args[1] = "0x10000";
            args[2] = "0x42";
            for (int i = 0; i < handles.length; i++) {
                args[3 + i] = "0x" + Long.toHexString(handles[i]);
            }
            Map<String, String> c = program.run(args);
            ByteBuffer java = RemoteArg.encode(TraceMode.CMP, 0x10000, handles, 0x42);
            assertThat(RemoteArg.sizeWith(handles.length))
                    .as("size with %d handles", handles.length)
                    .isEqualTo(Integer.parseInt(c.get("sizeof.with_handles")));
            assertThat(HexFormat.of().formatHex(java.array())).isEqualTo(c.get("bytes"));
        }
    }

    @Test
    void tooManyHandlesAreRefusedBeforeTheKernelSeesThem() {
        assertThatThrownBy(() -> RemoteArg.encode(TraceMode.PC, 1024, new long[KcovAbi.KCOV_REMOTE_MAX_HANDLES + 1], 0))
                .hasMessageContaining("at most 256");
    }
}
