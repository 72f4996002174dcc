package dev.kcovexplorer.symbolizer.external;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.symbolizer.Frame;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code llvm-symbolizer --output-style=JSON}: one JSON object per input line, {@code "Symbol"} holding
 * the inline chain innermost first. Column numbers come along; linkage names do not (it prints one
 * function name per frame), so {@link Frame#linkage()} is null.
 */
final class LlvmSymbolizerProcess extends ExternalSymbolizerProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    LlvmSymbolizerProcess(String executable, Path binary, long sentinel) throws IOException {
        super(List.of(executable, "--output-style=JSON", "--inlines", "--obj=" + binary), sentinel);
    }

    @Override
    protected void readBatch(long[] addresses, List<List<Frame>> out) throws IOException {
        for (long address : addresses) {
            out.add(frames(address, readLine()));
        }
        JsonNode last = JSON.readTree(readLine());
        if (!last.path("Address").asText().equals("0x" + Long.toHexString(sentinel))) {
            throw new IOException("lost track of the answers: expected the sentinel, got " + last);
        }
    }

    private static List<Frame> frames(long address, String line) throws IOException {
        JsonNode answer = JSON.readTree(line);
        String echoed = answer.path("Address").asText();
        if (!echoed.equals("0x" + Long.toHexString(address))) {
            throw new IOException("answer for " + echoed + " where 0x" + Long.toHexString(address) + " was asked");
        }
        if (answer.has("Error")) {
            throw new IOException(answer.path("Error").path("Message").asText(answer.toString()));
        }
        List<Frame> frames = new ArrayList<>();
        for (JsonNode symbol : answer.path("Symbol")) {
            String function = known(symbol.path("FunctionName").asText());
            String file = known(symbol.path("FileName").asText());
            if (function == null && file == null) {
                continue;
            }
            frames.add(new Frame(function, null, file, symbol.path("Line").asInt(), symbol.path("Column").asInt()));
        }
        return frames;
    }
}
