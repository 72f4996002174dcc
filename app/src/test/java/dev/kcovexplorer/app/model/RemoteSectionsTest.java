package dev.kcovexplorer.app.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.app.model.fixture.ExpectedCoverage;
import dev.kcovexplorer.app.model.fixture.ExpectedCoverage.SourceLine;
import dev.kcovexplorer.app.model.fixture.InstrumentedProgram;
import dev.kcovexplorer.app.model.fixture.ToolOracle;
import dev.kcovexplorer.app.model.fixture.Tools;
import dev.kcovexplorer.app.model.report.JsonReport;
import dev.kcovexplorer.kcov.CoverageRun;
import dev.kcovexplorer.kcov.DumpReader;
import dev.kcovexplorer.symbolizer.Frame;
import dev.kcovexplorer.symbolizer.index.BuildMonitor;
import dev.kcovexplorer.symbolizer.index.KernelIndex;
import dev.kcovexplorer.symbolizer.index.KernelIndexBuilder;
import dev.kcovexplorer.symbolizer.index.KernelIndexCodec;
import dev.kcovexplorer.symbolizer.index.RemoteSites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remote sections on a gcc-built program that opens them the way the kernel does ({@code remote.c}), run
 * under a harness that collects only inside them, like kcov: the index's start/stop sites against
 * objdump and llvm-symbolizer, and the line states against the rule computed from those tools' output.
 */
class RemoteSectionsTest {
    private static final String RESOURCES = "/dev/kcovexplorer/app/model/remote/";

    @TempDir
    static Path dir;
    static ToolOracle oracle;
    static KernelIndex index;
    static CoverageRun run;
    /** The same program with only the common handle collected, as the vhost capture does. */
    static CoverageRun commonOnly;

    @BeforeAll
    static void build() throws Exception {
        InstrumentedProgram.requireTools();
        for (String name : List.of("remote.c", "remote_harness.c")) {
            try (InputStream in = RemoteSectionsTest.class.getResourceAsStream(RESOURCES + name)) {
                Files.copy(in, dir.resolve(name));
            }
        }
        Tools.check(dir, null, List.of("gcc", "-O2", "-g", "-fsanitize-coverage=trace-pc", "-c", "remote.c", "-o",
                "remote.o"));
        Tools.check(dir, null, List.of("gcc", "-O2", "-g", "-c", "remote_harness.c", "-o", "harness.o"));
        Tools.check(dir, null, List.of("gcc", "-no-pie", "-o", "remote", "remote.o", "harness.o"));
        Tools.check(dir, null, List.of(dir.resolve("remote").toString(), "2", "remote.bin"));
        Tools.check(dir, null, List.of(dir.resolve("remote").toString(), "2", "common.bin", "common"));
        oracle = ToolOracle.of(dir.resolve("remote"));
        index = new KernelIndexBuilder().build(dir.resolve("remote"), BuildMonitor.SILENT);
        run = DumpReader.read(dir.resolve("remote.bin"));
        commonOnly = DumpReader.read(dir.resolve("common.bin"));
    }

    private static Session session(KernelIndex kernel, String remoteSource) {
        Session session = Session.create(kernel);
        session.addRun(RunInput.of("worker", run, remoteSource));
        return session;
    }

    @Test
    void indexHasTheStartAndStopCallsObjdumpFindsWithTheChainsLlvmSymbolizerGives() {
        RemoteSites sites = index.remoteSites();
        List<Long> addresses = new ArrayList<>();
        for (int s = 0; s < sites.count(); s++) {
            long address = sites.address(s);
            addresses.add(address);
            assertThat(sites.isStart(s)).as("site 0x%x starts", address).isEqualTo(oracle.remoteSites.get(address));
            List<ToolOracle.OracleFrame> expected = oracle.remoteFrames.get(address);
            List<Frame> chain = sites.chain(s);
            assertThat(chain).hasSameSizeAs(expected);
            for (int f = 0; f < chain.size(); f++) {
                assertThat(new ToolOracle.OracleFrame(chain.get(f).function(), chain.get(f).file(), chain.get(f).line()))
                        .isEqualTo(expected.get(f));
            }
        }
        assertThat(addresses).containsExactlyElementsOf(oracle.remoteSites.keySet());
        assertThat(oracle.remoteSites).as("GCC tail-calls kcov_remote_stop at the end of event_worker")
                .containsValue(true).containsValue(false);
    }

    @Test
    void linesOutsideTheSectionsAreOutsideRemoteAndTheReportListsThem() throws Exception {
        Session session = session(index, "USB bus 2, common 0x42");
        Coverage coverage = session.coverage(session.runs());
        ExpectedCoverage expected = new ExpectedCoverage(oracle, dir.toString(), run.trace());
        CoverageLayout layout = session.layout();
        Set<Integer> outside = new TreeSet<>();
        for (int line = 0; line < layout.lineCount(); line++) {
            SourceLine key = new SourceLine(layout.filePath(layout.lineFile(line)), layout.lineNumber(line));
            assertThat(coverage.lineState(line).jsonName()).as(key.toString()).isEqualTo(expected.state(key));
            if (expected.state(key).equals("outsideRemote")) {
                assertThat(key.path()).isEqualTo("remote.c");
                outside.add(key.line());
            }
        }
        assertThat(expected.remoteSections).as("event_worker and loop_worker open sections").hasSize(2);
        assertThat(outside).as("event_worker's lines before kcov_remote_start_usb()").isNotEmpty();

        StringWriter json = new StringWriter();
        JsonReport.write(coverage, session.runs(), json);
        for (JsonNode file : new ObjectMapper().readTree(json.toString()).get("files")) {
            if (file.get("path").asText().equals("remote.c")) {
                Set<Integer> listed = new TreeSet<>();
                file.get("lines").get("outsideRemote").forEach(n -> listed.add(n.asInt()));
                assertThat(listed).isEqualTo(outside);
                file.get("lines").get("uncovered").forEach(n -> assertThat(outside).doesNotContain(n.asInt()));
                file.get("lines").get("notExecuted").forEach(n -> assertThat(outside).doesNotContain(n.asInt()));
            }
        }
    }

    /**
     * loop_worker's section is only {@code fn(i)}, an indirect call, like vhost_worker's {@code work->fn(work)}:
     * a run of the common handle holds port_work's points and none of loop_worker's, yet loop_worker is the
     * only function opening common sections, so it ran.
     */
    @Test
    void theOnlyOpenerOfTheCollectedKindRanThoughNoneOfItsOwnPointsWasCollected() {
        Session session = Session.create(index);
        session.addRun(RunInput.of("vhost", commonOnly, "common 0x42"));
        Coverage coverage = session.coverage(session.runs());
        CoverageLayout layout = session.layout();
        ExpectedCoverage expected = new ExpectedCoverage(oracle, dir.toString(), commonOnly.trace());
        ExpectedCoverage.SourceFunction loopWorker = new ExpectedCoverage.SourceFunction("loop_worker", "remote.c");
        assertThat(expected.functionPoints.get(loopWorker)).as("no point of loop_worker was collected")
                .noneMatch(expected.hits::containsKey).noneMatch(expected.candidates::contains);
        assertThat(expected.hits).as("port_work's were").isNotEmpty();
        expected.collectedOnlyThrough("kcov_remote_start_common");
        assertThat(expected.ran(loopWorker)).isTrue();

        assertThat(coverage.functionRan(layout.findFunction("loop_worker", "remote.c"))).isTrue();
        assertThat(coverage.functionRan(layout.findFunction("event_worker", "remote.c")))
                .as("its USB section was not collected").isFalse();
        for (int line = 0; line < layout.lineCount(); line++) {
            SourceLine key = new SourceLine(layout.filePath(layout.lineFile(line)), layout.lineNumber(line));
            assertThat(coverage.lineState(line).jsonName()).as(key.toString()).isEqualTo(expected.state(key));
        }
        for (int i = 0; i < layout.functionCount(); i++) {
            assertThat(session.coverage(session.runs().get(0)).functionRan(i)).as(layout.functionName(i))
                    .isEqualTo(coverage.functionRan(i));
        }
    }

    @Test
    void withBothKindsCollectedTwoSectionsCouldHaveReachedTheCalleesSoNeitherIsClaimed() {
        Session session = session(index, "USB bus 2, common 0x42");
        Coverage coverage = session.coverage(session.runs());
        CoverageLayout layout = session.layout();
        ExpectedCoverage expected = new ExpectedCoverage(oracle, dir.toString(), run.trace());
        assertThat(expected.ran(new ExpectedCoverage.SourceFunction("loop_worker", "remote.c"))).isFalse();
        assertThat(coverage.functionRan(layout.findFunction("loop_worker", "remote.c"))).isFalse();
        assertThat(coverage.functionRan(layout.findFunction("event_worker", "remote.c")))
                .as("by its own points inside the section").isTrue();
    }

    @Test
    void aLocalTaskCollectsEveryLineSoNothingIsOutside() {
        Session session = session(index, "local task");
        Coverage coverage = session.coverage(session.runs());
        ExpectedCoverage expected = new ExpectedCoverage(oracle, dir.toString(), run.trace()).local();
        CoverageLayout layout = session.layout();
        for (int line = 0; line < layout.lineCount(); line++) {
            SourceLine key = new SourceLine(layout.filePath(layout.lineFile(line)), layout.lineNumber(line));
            assertThat(coverage.lineState(line).jsonName()).as(key.toString()).isEqualTo(expected.state(key));
        }
    }

    @Test
    void markersNameTheCallerLineAndTheHandleKind() {
        ExpectedCoverage expected = new ExpectedCoverage(oracle, dir.toString());
        RemoteSections sections = session(index, "USB bus 2").layout().remoteSections();
        assertThat(sections.known()).isTrue();
        List<RemoteSections.Marker> markers = sections.markers("remote.c");
        assertThat(markers).isNotEmpty();
        for (RemoteSections.Marker m : markers) {
            int[] section = expected.remoteSections.get(new ExpectedCoverage.SourceFunction(m.function(), "remote.c"));
            assertThat(m.line()).as(m.toString()).isEqualTo(m.start() ? section[0] : section[1]);
            assertThat(m.subsystem()).as(m.toString()).isEqualTo(m.function().equals("event_worker")
                    ? RemoteSections.Subsystem.USB : RemoteSections.Subsystem.COMMON);
        }
        assertThat(RemoteSections.Subsystem.USB.collectedBy("USB bus 1, USB bus 2")).isTrue();
        assertThat(RemoteSections.Subsystem.COMMON.collectedBy("USB bus 1")).isFalse();
    }

    @Test
    void anIndexFromBeforeRemoteSitesOpensWithoutSectionsAndSaysSo() {
        KernelIndex old = KernelIndexCodec.read(KernelIndexCodec.encode(new KernelIndex(index.buildId(), index.arch(),
                index.compDir(), index.rawPoints(), index.rawPointKinds(), index.rawChainStart(),
                index.rawFrameFunction(), index.rawFrameFile(), index.rawFrameLine(), index.rawFrameColumn(),
                index.rawFrameLinkage(), index.rawStrings(), index.rawTailReturnAddresses(),
                index.rawTailCandidateStart(), index.rawTailCandidates())));
        assertThat(old.hasRemoteSites()).isFalse();
        Session session = session(old, "USB bus 2");
        assertThat(session.layout().remoteSections().known()).isFalse();
        Coverage coverage = session.coverage(session.runs());
        for (int line = 0; line < session.layout().lineCount(); line++) {
            assertThat(coverage.lineState(line)).isNotEqualTo(LineState.OUTSIDE_REMOTE);
        }
        KernelIndex current = KernelIndexCodec.read(KernelIndexCodec.encode(index));
        assertThat(current.remoteSites().count()).isEqualTo(index.remoteSites().count());
    }
}
