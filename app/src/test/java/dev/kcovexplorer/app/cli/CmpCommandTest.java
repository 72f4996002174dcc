package dev.kcovexplorer.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kcovexplorer.app.model.fixture.ComparisonFixture;
import dev.kcovexplorer.app.model.fixture.ComparisonOracle;
import dev.kcovexplorer.app.model.fixture.ComparisonProgram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cmp}, {@code match} and {@code report} on TRACE_CMP dumps of a real gcc trace-cmp program run
 * under the kcov-like harness; every expected value comes from the raw records (read here), objdump and
 * llvm-symbolizer.
 */
class CmpCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static ComparisonProgram program;
    static ComparisonOracle oracle;
    static Path cmp;
    static Path pc;
    static long[][] records;

    @BeforeAll
    static void buildAndRun() throws Exception {
        ComparisonFixture fixture = ComparisonFixture.get();
        program = fixture.program;
        oracle = fixture.oracle;
        cmp = fixture.cmp;
        pc = fixture.pc;
        records = fixture.records;
    }

    @Test
    void jsonListsEveryReachedSiteWithTheValuesOfItsRawRecords() throws Exception {
        CliRunner.Result run = cli("--format", "json", cmp.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        Map<Long, Map<List<Long>, Long>> pairs = new TreeMap<>();
        Map<Long, Long> typeOfSite = new HashMap<>();
        for (long[] r : records) {
            long site = oracle.siteOfIp.get(r[3]);
            pairs.computeIfAbsent(site, k -> new HashMap<>()).merge(List.of(r[1], r[2]), 1L, Long::sum);
            typeOfSite.put(site, r[0]);
        }
        List<JsonNode> lines = json(run.out());
        List<Long> listed = new ArrayList<>();
        for (JsonNode o : lines) {
            long site = hex(o.get("site"));
            listed.add(site);
            List<String> fields = new ArrayList<>();
            o.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).startsWith("site", "function", "file", "line", "kind", "size", "records", "distinct",
                    "values");
            Object[] line = oracle.lineOfSite.get(site);
            assertThat(o.get("file").asText()).isEqualTo(line[0]);
            assertThat(o.get("line").asInt()).isEqualTo(line[1]);
            assertThat(o.get("function").asText()).isEqualTo(oracle.functionOfSite.get(site));
            String hook = oracle.sites.get(site).replaceFirst("^(call|jmp) __sanitizer_cov_trace_", "");
            assertThat(o.get("kind").asText()).isEqualTo(hook.startsWith("const") ? "const"
                    : hook.equals("switch") ? "switch" : "cmp");
            assertThat(o.get("size").asInt()).isEqualTo(hook.equals("switch")
                    ? 1 << ((typeOfSite.get(site) >> 1) & 3) : Integer.parseInt(hook.replaceAll("\\D", "")));
            Map<List<Long>, Long> expected = pairs.get(site);
            assertThat(o.get("records").asLong()).isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum());
            assertThat(o.get("distinct").asInt()).isEqualTo(expected.size());
            Map<List<Long>, Long> values = new HashMap<>();
            for (JsonNode v : o.get("values")) {
                values.put(List.of(hex(v.get("arg1")), hex(v.get("arg2"))), v.get("count").asLong());
            }
            assertThat(values).as("site 0x%x", site).isEqualTo(expected); // fewer than 64 pairs each: all listed
            assertThat(o.get("more").asInt()).isZero();
        }
        assertThat(listed).isSorted().containsExactlyElementsOf(pairs.keySet());
    }

    @Test
    void missedKeepsTheConstSitesWhoseConstantNeverEqualledTheOperand() throws Exception {
        Map<Long, Set<Long>> missed = oracle.missedConstants(records);

        CliRunner.Result json = cli("--format", "json", "--missed", cmp.toString());
        Map<Long, Set<Long>> listed = new TreeMap<>();
        for (JsonNode o : json(json.out())) {
            Set<Long> constants = new HashSet<>();
            o.get("missed").forEach(v -> constants.add(hex(v)));
            listed.put(hex(o.get("site")), constants);
        }
        assertThat(listed).isEqualTo(missed);

        int constLine = program.lineOf("cmp_fixture.c", "const2: never equal");
        CliRunner.Result text = cli("--missed", cmp.toString());
        assertThat(text.status()).isZero();
        List<String> lines = text.out().lines().toList();
        assertThat(lines.get(0)).startsWith("# cmp: " + records.length + " records,");
        assertThat(lines.subList(1, lines.size())).hasSize(missed.size())
                .anySatisfy(l -> assertThat(l).contains("cmp_fixture.c:" + constLine + "  constants  const 2")
                        .contains("never equal to 0x0409  values 0x0409/0x04"));
    }

    @Test
    void fileAndTopNarrowTheListing() throws Exception {
        long tailSite = oracle.sites.entrySet().stream().filter(e -> e.getValue().startsWith("jmp")).findFirst()
                .orElseThrow().getKey();
        CliRunner.Result tail = cli("--format", "json", "--file", "cmp_tail.c", cmp.toString());
        assertThat(json(tail.out())).extracting(o -> hex(o.get("site"))).containsExactly(tailSite);

        CliRunner.Result top = cli("--format", "json", "--top", "2", cmp.toString());
        for (JsonNode o : json(top.out())) {
            int values = o.get("values").size();
            assertThat(values).isEqualTo(Math.min(2, o.get("distinct").asInt()));
            assertThat(o.get("more").asInt()).isEqualTo(o.get("distinct").asInt() - values);
        }

        CliRunner.Result nowhere = cli("--file", "nosuch.c", cmp.toString());
        assertThat(nowhere.status()).isNotZero();
        assertThat(nowhere.err()).isEqualTo("kcov-explorer: --file nosuch.c: no source file of this kernel with"
                + " comparison sites is called so\n");
    }

    @Test
    void aRecordWithIpZeroIsNamedByIndexAndEveryOtherRecordIsListed() throws Exception {
        long[][] damaged = copy(records);
        damaged[5][3] = 0;
        Path file = writeArea("ip0.bin", damaged);
        CliRunner.Result run = cli("--format", "json", file.toString());
        assertThat(run.status()).isZero();
        assertThat(run.err().lines().toList()).containsExactly(
                "kcov-explorer: warning: " + file + ": CMP record 5 has ip 0x0, which is no return address (a damaged"
                        + " record); 1 such record resolves to no comparison site, the other "
                        + (records.length - 1) + " are read",
                "kcov-explorer: warning: ip0.bin: 1 of " + records.length + " records (1 ip) on no comparison site:"
                        + " ip is 0 (no return address: a damaged record) (first: record 5, ip 0x0)");
        assertThat(json(run.out()).stream().mapToLong(o -> o.get("records").asLong()).sum())
                .isEqualTo(records.length - 1);
    }

    @Test
    void aTornOrShortAreaIsOneLineNamingFileOffsetAndRecordAndTheOtherDumpsAreStillListed() throws Exception {
        byte[] whole = area(records);
        Path torn = write("torn.bin", Arrays.copyOf(whole, whole.length - 16));
        byte[] claimsMore = whole.clone();
        ByteBuffer.wrap(claimsMore).order(ByteOrder.LITTLE_ENDIAN).putLong(0, records.length + 3L);
        Path past = write("past.bin", claimsMore);
        CliRunner.Result run = cli("--format", "json", torn.toString(), cmp.toString(), past.toString(), pc.toString());
        assertThat(run.status()).isEqualTo(1);
        int n = records.length;
        assertThat(run.err().lines().toList()).containsExactly(
                "kcov-explorer: " + torn + ": byte offset " + (whole.length - 16) + ": truncated: the count word says "
                        + n + " CMP records (8-byte words) but the file ends after " + (n - 1) + ", inside record "
                        + (n - 1) + " (a torn record: 2 of its 4 words)",
                "kcov-explorer: " + past + ": byte offset " + whole.length + ": truncated: the count word says "
                        + (n + 3) + " CMP records (8-byte words) but the file ends after " + n,
                "kcov-explorer: " + pc + ": a TRACE_PC dump, expected a TRACE_CMP area (match and report read PC dumps)");
        assertThat(json(run.out()).stream().mapToLong(o -> o.get("records").asLong()).sum()).isEqualTo(n);
    }

    @Test
    void matchCountsACmpDumpsIpsAndRecordsOnComparisonSites() throws Exception {
        long[][] moved = copy(records);
        moved[7][3] = 0x500000; // inside the binary's address range, after no hook call
        Path foreign = writeArea("moved.bin", moved);
        CliRunner.Result run = CliRunner.run("match", "--vmlinux", program.binary().toString(), "--json",
                cmp.toString(), foreign.toString());
        assertThat(run.status()).isZero();
        List<JsonNode> lines = json(run.out());
        for (int i = 0; i < 2; i++) {
            long[][] rs = i == 0 ? records : moved;
            Set<Long> ips = new TreeSet<>();
            int unresolvedRecords = 0;
            for (long[] r : rs) {
                ips.add(r[3]);
                unresolvedRecords += oracle.siteOfIp.containsKey(r[3]) ? 0 : 1;
            }
            Predicate<Long> viaTail = ip -> oracle.sites.get(oracle.siteOfIp.get(ip)).startsWith("jmp");
            JsonNode o = lines.get(i);
            assertThat(o.get("mode").asText()).isEqualTo("cmp");
            assertThat(o.get("uniquePcs").asInt()).isEqualTo(ips.size());
            assertThat(o.get("matched").asInt()).isEqualTo(
                    ips.stream().filter(oracle.siteOfIp::containsKey).filter(viaTail.negate()).count());
            assertThat(o.get("attributedExact").asInt()).isEqualTo(
                    ips.stream().filter(oracle.siteOfIp::containsKey).filter(viaTail).count()).isPositive();
            assertThat(o.get("unresolved").asInt()).isEqualTo(unresolvedRecords);
            assertThat(o.get("records").asInt()).isEqualTo(rs.length);
            assertThat(o.get("recordsUnresolved").asInt()).isEqualTo(unresolvedRecords);
            assertThat(o.get("recordsOnSites").asInt()).isEqualTo(rs.length - unresolvedRecords);
        }
        CliRunner.Result text = CliRunner.run("match", "--vmlinux", program.binary().toString(), foreign.toString());
        assertThat(text.out()).contains(foreign + ": TRACE_CMP, " + records.length + " records")
                .contains("no call of a comparison hook returns there (another kernel, or damage) (1 record, first:"
                        + " record 7, ip 0x500000)");
    }

    @Test
    void reportJsonListsTheLinesWhoseComparisonSitesWereReached() throws Exception {
        Set<String> reachedFunctions = Set.of("sizes", "constants");
        List<long[]> subset = new ArrayList<>();
        for (long[] r : records) {
            if (reachedFunctions.contains(oracle.functionOfSite.get(oracle.siteOfIp.get(r[3])))) {
                subset.add(r);
            }
        }
        Path some = writeArea("some.bin", subset.toArray(long[][]::new));
        TreeSet<Integer> reached = new TreeSet<>();
        TreeSet<Integer> unreached = new TreeSet<>();
        oracle.lineOfSite.forEach((site, line) -> {
            if (line[0].equals("cmp_fixture.c")) {
                (reachedFunctions.contains(oracle.functionOfSite.get(site)) ? reached : unreached).add((Integer) line[1]);
            }
        });
        CliRunner.Result run = CliRunner.run("report", "--vmlinux", program.binary().toString(), pc.toString(),
                some.toString());
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode file = fileNode(run.out(), "cmp_fixture.c");
        JsonNode comparisons = file.get("comparisons");
        assertThat(ints(comparisons.get("reached"))).containsExactlyElementsOf(reached);
        assertThat(ints(comparisons.get("partial"))).isEmpty();
        assertThat(ints(comparisons.get("unreached"))).containsExactlyElementsOf(unreached);

        // cmp_tail.c is built with trace-cmp alone: no coverage point, yet its comparison line is reported.
        long tailSite = oracle.sites.entrySet().stream().filter(e -> e.getValue().startsWith("jmp")).findFirst()
                .orElseThrow().getKey();
        JsonNode tail = fileNode(run.out(), "cmp_tail.c");
        assertThat(tail.get("points").asInt()).isZero();
        assertThat(ints(tail.get("comparisons").get("unreached"))).containsExactly((Integer) oracle.lineOfSite.get(tailSite)[1]);
        assertThat(ints(tail.get("comparisons").get("reached"))).isEmpty();

        CliRunner.Result pcOnly = CliRunner.run("report", "--vmlinux", program.binary().toString(), pc.toString());
        assertThat(fileNode(pcOnly.out(), "cmp_fixture.c").has("comparisons")).isFalse();
    }

    @Test
    void aDiffOfAPcRunAgainstACmpRunSaysTheyAreOfTwoKindsNamingEach() throws Exception {
        String vmlinux = program.binary().toString();

        CliRunner.Result mixed = CliRunner.run("diff", "--vmlinux", vmlinux, "coverage=" + pc, "cmp-run=" + cmp);
        CliRunner.Result reversed = CliRunner.run("diff", "--vmlinux", vmlinux, cmp.toString(), pc.toString());

        assertThat(mixed.status()).isEqualTo(1);
        assertThat(mixed.err().lines()).containsExactly("kcov-explorer: cannot diff 'coverage=" + pc + "' against 'cmp-run="
                + cmp + "': the first is PC coverage (TRACE_PC, on coverage points), the second comparisons (TRACE_CMP,"
                + " on comparison sites); diff two PC runs or two CMP runs");
        assertThat(reversed.err().lines()).containsExactly("kcov-explorer: cannot diff '" + cmp + "' against '" + pc
                + "': the first is comparisons (TRACE_CMP, on comparison sites), the second PC coverage (TRACE_PC, on"
                + " coverage points); diff two PC runs or two CMP runs");
        CliRunner.Result sameKind = CliRunner.run("diff", "--vmlinux", vmlinux, cmp.toString(), cmp.toString());
        assertThat(sameKind.status()).as(sameKind.err()).isZero();
    }

    private static CliRunner.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of("cmp", "--vmlinux", program.binary().toString()));
        all.addAll(List.of(args));
        return CliRunner.run(all.toArray(String[]::new));
    }

    private static JsonNode fileNode(String report, String path) throws IOException {
        for (JsonNode f : JSON.readTree(report).get("files")) {
            if (f.get("path").asText().equals(path)) {
                return f;
            }
        }
        throw new AssertionError(path + " not in the report");
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static List<JsonNode> json(String lines) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static long hex(JsonNode text) {
        assertThat(text.asText()).startsWith("0x");
        return Long.parseUnsignedLong(text.asText().substring(2), 16);
    }

    private static long[][] copy(long[][] rs) {
        long[][] out = new long[rs.length][];
        for (int i = 0; i < rs.length; i++) {
            out[i] = rs[i].clone();
        }
        return out;
    }

    /** A kcov CMP area as the kernel lays it out: the count, then {type, arg1, arg2, ip} per record. */
    private static byte[] area(long[][] rs) {
        ByteBuffer b = ByteBuffer.allocate(8 + 32 * rs.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(rs.length);
        for (long[] r : rs) {
            for (long word : r) {
                b.putLong(word);
            }
        }
        return b.array();
    }

    private static Path writeArea(String name, long[][] rs) throws IOException {
        return write(name, area(rs));
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
