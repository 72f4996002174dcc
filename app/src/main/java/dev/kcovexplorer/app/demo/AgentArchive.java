package dev.kcovexplorer.app.demo;

import dev.kcovexplorer.symbolizer.index.AbandonedFiles;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How the agent starts fast in the guest. Under TCG a cold JVM spends most of the boot loading and verifying
 * classes (Jackson, JNA, ours), so the host records a class-data-sharing archive of the agent's start once per
 * class path and JVM, and the guest maps it: the guest sees the host's files at the same paths, and its JVM is
 * the host's. CDS takes jars only, so class directories (a build's {@code target/classes}) are packed into
 * jars first. When no archive can be made the guest simply starts without one.
 */
final class AgentArchive {
    /** The agent's JVM options in the guest, the same when the archive is recorded (CDS checks some of them). */
    static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
            // C1 only, and late: under TCG the compiler's own work delays the start more than interpretation.
            "-XX:Tier3InvocationThreshold=5000", "-XX:Tier3MinInvocationThreshold=2000",
            "-XX:Tier3CompileThreshold=20000", "-XX:Tier3BackEdgeThreshold=600000", "-XX:-UsePerfData",
            "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
            // Except the drain's loops, which run over every PC collected: interpreted they managed about a
            // million PCs a second, no faster than busy vhost traffic writes them.
            "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=CompileThresholdScaling,dev.kcovexplorer.kcov.live.CoverageArea::*,0.01");
    private static final long RECORD_SECONDS = 60;
    private static final String PARTIAL_SUFFIX = ".partial";
    /**
     * {@code NAME.PID-UNIQUE.partial}: a jar being packed or an archive being recorded by process PID (a killed
     * recording leaves 10 MB); earlier versions' packing, {@code classes-N.partial} without the pid, once an hour
     * old (packing takes seconds).
     */
    private static final AbandonedFiles ABANDONED_PARTIALS = new AbandonedFiles("*" + PARTIAL_SUFFIX,
            Pattern.compile(".+\\.(\\d{1,18})-[0-9a-f]+\\.partial"), Pattern.compile("classes-\\d+\\.partial"),
            Duration.ofHours(1));
    private static final String ARCHIVE_PREFIX = "agent-";
    private static final String JAR_PREFIX = "classes-";
    /** {@code classes-CHECKOUT-CONTENT.jar}; earlier versions named theirs {@code classes-CONTENT.jar}. */
    private static final Pattern CHECKOUT_JAR = Pattern.compile("classes-([0-9a-f]{8})-[0-9a-f]{16}\\.jar");
    /** Another checkout's archive untouched this long belongs to a checkout gone or rebuilt since. */
    private static final Duration UNUSED_AGE = Duration.ofDays(7);

    /** The agent's class path for the guest and the archive to map, or null without one. */
    record Prepared(String classPath, Path archive) {
    }

    private AgentArchive() {
    }

    /** Packs directories, finds or records the archive in {@code cacheDir}; never fails the boot. */
    static Prepared prepare(DemoVmOptions options, Path cacheDir) {
        String classPath = options.agentClassPath();
        try {
            Files.createDirectories(cacheDir);
            ABANDONED_PARTIALS.removeFrom(cacheDir);
            String checkout = checkout(options.repository());
            classPath = jarsOnly(classPath, cacheDir, checkout);
            Path archive = cacheDir.resolve(ARCHIVE_PREFIX + checkout + "-" + key(options.java(), classPath) + ".jsa");
            if (Files.isRegularFile(archive)) {
                markUsed(archive);
            } else {
                record(options.java(), classPath, archive);
                removeSuperseded(cacheDir, checkout, archive);
                removeUnusedJars(cacheDir, checkout, classPath);
            }
            return new Prepared(classPath, Files.isRegularFile(archive) ? archive : null);
        } catch (IOException | RuntimeException e) {
            return new Prepared(classPath, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Prepared(classPath, null);
        }
    }

    /** Each directory of {@code classPath} as a jar in {@code cacheDir}, named after its checkout and what it holds. */
    private static String jarsOnly(String classPath, Path cacheDir, String checkout) throws IOException {
        List<String> entries = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            entries.add(Files.isDirectory(path) ? pack(path, cacheDir, checkout).toString() : entry);
        }
        return String.join(File.pathSeparator, entries);
    }

    private static Path pack(Path dir, Path cacheDir, String checkout) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        MessageDigest digest = sha256();
        digest.update(dir.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
        for (Path file : files) {
            digest.update((dir.relativize(file) + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis()
                    + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path jar = cacheDir.resolve(JAR_PREFIX + checkout + "-" + HexFormat.of().formatHex(digest.digest()).substring(0, 16) + ".jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Path partial = Files.createTempFile(cacheDir, jar.getFileName() + "." + ProcessHandle.current().pid() + "-",
                PARTIAL_SUFFIX);
        try {
            try (OutputStream out = Files.newOutputStream(partial); JarOutputStream zip = new JarOutputStream(out)) {
                for (Path file : files) {
                    JarEntry entry = new JarEntry(dir.relativize(file).toString().replace(File.separatorChar, '/'));
                    entry.setTime(Files.getLastModifiedTime(file).toMillis());
                    zip.putNextEntry(entry);
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
            // Published only if absent: a jar another JVM packed meanwhile keeps the time and size its
            // archive was keyed and recorded with (a rename would replace it with an equal jar of another time).
            Files.createLink(jar, partial);
        } catch (FileAlreadyExistsException packedMeanwhile) {
            // the same classes, packed by the other JVM
        } finally {
            Files.deleteIfExists(partial);
        }
        return jar;
    }

    /** The JVM and every jar (path, size, time): what the JVM checks before it maps an archive. */
    private static String key(String java, String classPath) throws IOException {
        MessageDigest digest = sha256();
        digest.update((java + "\n" + System.getProperty("java.vm.version") + "\n" + JVM_OPTIONS + "\n")
                .getBytes(StandardCharsets.UTF_8));
        for (String entry : classPath.split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            digest.update((entry + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
    }

    /**
     * Runs the agent here as the guest will (two sessions; {@code /dev/null} as the kcov device, so JNA and the
     * probe load and fail at once), stops it once it listens, and keeps the archive the JVM writes at exit.
     */
    private static void record(String java, String classPath, Path archive) throws IOException, InterruptedException {
        // A name of this recording's own: two JVMs (test forks, checkouts) recording the same archive at once
        // must not write into one file.
        Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()) + PARTIAL_SUFFIX);
        List<String> command = new ArrayList<>(List.of(java, "-XX:ArchiveClassesAtExit=" + partial));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", classPath, "dev.kcovexplorer.kcov.agent.AgentMain", "--listen", "127.0.0.1:0",
                "--listen", "127.0.0.1:0", "--device", "/dev/null"));
        Process agent = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        VmReaper.register(agent);
        // An agent that never says it listens is not waited for beyond the deadline.
        CompletableFuture.delayedExecutor(2 * RECORD_SECONDS, TimeUnit.SECONDS).execute(agent::destroyForcibly);
        try (BufferedReader log = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECORD_SECONDS);
            int listening = 0;
            while (listening < 2 && System.nanoTime() < deadline) {
                String line = log.readLine();
                if (line == null) {
                    break;
                }
                listening += line.contains("agent: listening on") ? 1 : 0;
            }
            agent.destroy(); // SIGTERM: the JVM exits normally and writes the archive
            if (!agent.waitFor(RECORD_SECONDS, TimeUnit.SECONDS)) {
                agent.destroyForcibly();
                agent.waitFor();
            }
        }
        // Killed (exit 128 + SIGKILL), the JVM may have stopped halfway through writing the archive.
        boolean whole = agent.exitValue() != 128 + 9;
        if (whole && Files.isRegularFile(partial) && Files.size(partial) > 0) {
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        } else {
            Files.deleteIfExists(partial);
        }
    }

    /**
     * Archives of this checkout's earlier builds map into nothing any more (10 MB each). Other checkouts share the
     * cache: theirs are theirs (a demo VM there maps one), removed only once untouched for {@link #UNUSED_AGE},
     * like those of earlier versions (named without a checkout).
     */
    private static void removeSuperseded(Path cacheDir, String checkout, Path kept) throws IOException {
        Instant unusedSince = Instant.now().minus(UNUSED_AGE);
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(cacheDir, ARCHIVE_PREFIX + "*.jsa")) {
            for (Path archive : archives) {
                boolean ours = archive.getFileName().toString().startsWith(ARCHIVE_PREFIX + checkout + "-");
                if (!archive.equals(kept) && (ours || Files.getLastModifiedTime(archive, LinkOption.NOFOLLOW_LINKS)
                        .toInstant().isBefore(unusedSince))) {
                    Files.deleteIfExists(archive);
                }
            }
        }
    }

    /**
     * The packed class directories (a jar per build of each, ~280 KB) go with the archives that map them: this
     * checkout's once its new class path does not name them; another checkout's once it has no archive left and
     * they were packed over {@link #UNUSED_AGE} ago (packing precedes recording, so a checkout recording now has
     * fresh jars and no archive yet); earlier versions' (named without a checkout) once that old. A jar's time
     * is never touched: the archive was keyed and recorded with it.
     */
    private static void removeUnusedJars(Path cacheDir, String checkout, String classPath) throws IOException {
        List<String> current = List.of(classPath.split(File.pathSeparator));
        Instant unusedSince = Instant.now().minus(UNUSED_AGE);
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(cacheDir, JAR_PREFIX + "*.jar")) {
            for (Path jar : jars) {
                Matcher named = CHECKOUT_JAR.matcher(jar.getFileName().toString());
                boolean old = Files.getLastModifiedTime(jar, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(unusedSince);
                boolean unused;
                if (!named.matches()) {
                    unused = old;
                } else if (named.group(1).equals(checkout)) {
                    unused = !current.contains(jar.toString());
                } else {
                    unused = old && !hasArchive(cacheDir, named.group(1));
                }
                if (unused) {
                    Files.deleteIfExists(jar);
                }
            }
        }
    }

    private static boolean hasArchive(Path cacheDir, String checkout) throws IOException {
        try (DirectoryStream<Path> archives = Files.newDirectoryStream(cacheDir, ARCHIVE_PREFIX + checkout + "-*.jsa")) {
            return archives.iterator().hasNext();
        }
    }

    /** Another checkout's clean-up goes by the archive's time (the JVM checks the jars' times, not this one). */
    private static void markUsed(Path archive) {
        try {
            Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));
        } catch (IOException notOurs) {
            // another user's file in a shared cache: it maps all the same
        }
    }

    /** Names the checkout (its repository's path) in its archives' names, so it removes only its own. */
    private static String checkout(Path repository) {
        String where = repository == null ? "" : repository.toAbsolutePath().normalize().toString();
        return HexFormat.of().formatHex(sha256().digest(where.getBytes(StandardCharsets.UTF_8)), 0, 4);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
