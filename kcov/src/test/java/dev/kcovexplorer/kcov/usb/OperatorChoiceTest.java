package dev.kcovexplorer.kcov.usb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Guided's mutants by chosen operators ({@link DeviceMutator.Operator}): each operator does the mutation it names,
 * only offered operators are picked, the mutants keep every limit and claim well-formedness only when they are,
 * and a campaign whose finds come from one operator's mutants ends up using that operator for most of them.
 */
class OperatorChoiceTest {
    /**
     * The steps each operator may log, its documented fallbacks included (a config field whose descriptor has no
     * field past its type, a splice whose rebuilt blob would not fit: havoc). A drop/double, endpoint or
     * alternate-setting mutation logs only its own: it is offered only when the device has what it changes.
     */
    private static final Map<DeviceMutator.Operator, Set<String>> STEPS = Map.ofEntries(
            Map.entry(DeviceMutator.Operator.FAULT, Set.of("fault")),
            Map.entry(DeviceMutator.Operator.DWELL, Set.of("dwell", "no dwell")),
            Map.entry(DeviceMutator.Operator.CLASS_ANSWERS, Set.of("class answers", "hub descriptor")),
            Map.entry(DeviceMutator.Operator.CONFIG_FIELD, Set.of("config field", "havoc config", "havoc device",
                    "havoc report", "havoc bos")),
            Map.entry(DeviceMutator.Operator.DEVICE_FIELD, Set.of("device field", "vendor")),
            Map.entry(DeviceMutator.Operator.SPLICE, Set.of("splice", "havoc config", "havoc device", "havoc report",
                    "havoc bos")),
            Map.entry(DeviceMutator.Operator.REPORT, Set.of("report")),
            Map.entry(DeviceMutator.Operator.DROP_OR_DOUBLE, Set.of("drop/double")),
            Map.entry(DeviceMutator.Operator.HAVOC, Set.of("havoc config", "havoc device", "havoc report",
                    "havoc bos")),
            Map.entry(DeviceMutator.Operator.RESIZE, Set.of("resize config", "resize report")),
            Map.entry(DeviceMutator.Operator.STRINGS, Set.of("string", "raw string")),
            Map.entry(DeviceMutator.Operator.REFUSAL, Set.of("refuse")),
            Map.entry(DeviceMutator.Operator.ENDPOINT, Set.of("endpoint")),
            Map.entry(DeviceMutator.Operator.ALTERNATE, Set.of("alternate")));

    /**
     * The late mutants a campaign's operator choice is judged by: over 300, the counts' spread let the endpoint's
     * fall under twice the other campaign's for 1 seed in 300.
     */
    private static final int LATE_MUTANTS = 1000;

    /** Of fresh devices and of mutants some generations on: a mutant's configuration may have lost what one needs. */
    @Property(tries = 3000)
    void eachOperatorDoesTheMutationItNames(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = Mutants.mutated(DeviceGenerator.generate(random), random.nextInt(4), random);
        List<DeviceMutator.Operator> offered = DeviceMutator.operators(device);
        DeviceMutator.Operator operator = offered.get(random.nextInt(offered.size()));
        UsbDevice mutant = DeviceMutator.apply(operator, device, random);
        if (mutant.origin().equals(device.origin())) {
            // A report byte behind a prefix without data, a descriptor doubled past the blob's limit: no change.
            assertThat(operator).isIn(DeviceMutator.Operator.REPORT, DeviceMutator.Operator.DROP_OR_DOUBLE,
                    DeviceMutator.Operator.HAVOC, DeviceMutator.Operator.ALTERNATE);
            return;
        }
        assertThat(mutant.origin()).startsWith(device.origin() + " > ");
        assertThat(STEPS.get(operator)).as(operator + " gave " + mutant.origin())
                .contains(mutant.origin().substring(device.origin().length() + 3));
    }

    @Property(tries = 2000)
    void onlyOfferedOperatorsArePickedAndTheMutantsKeepTheirLimits(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 8) int generations) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = DeviceGenerator.generate(random);
        for (int g = 0; g < generations; g++) {
            UsbDevice parent = device;
            List<DeviceMutator.Operator> picked = new ArrayList<>();
            DeviceMutator.Choice choice = (offered, r) -> {
                assertThat(offered).isNotEmpty().doesNotHaveDuplicates();
                DeviceMutator.Operator operator = offered.get(r.nextInt(offered.size()));
                picked.add(operator);
                return operator;
            };
            boolean crossover = random.nextInt(4) == 0 && parent.wellFormed();
            device = crossover ? DeviceMutator.crossover(parent, DeviceGenerator.generate(random), random, choice)
                    : DeviceMutator.mutate(parent, random, choice);
            assertThat(picked.size()).as("at most three mutations, a hub's port ones not chosen").isBetween(0, 3);
            if (!crossover && parent.hubDescriptor().length == 0) {
                assertThat(picked).as("a mutant of a device that is no hub: each mutation chosen").isNotEmpty();
            }
            assertThat(device.configuration().length).isLessThanOrEqualTo(UsbDevice.MAX_BLOB);
            assertThat(device.hidReport().length).isLessThanOrEqualTo(UsbDevice.MAX_BLOB);
            assertThat(device.classAnswerCount()).isLessThanOrEqualTo(UsbDevice.MAX_CLASS_ANSWERS);
            assertThat(device.faults().size()).isLessThanOrEqualTo(UsbDevice.MAX_FAULTS);
            if (device.wellFormed()) {
                assertThat(WellFormedness.problems(device)).as(device.describe()).isEmpty();
            }
        }
    }

    @Property(tries = 200)
    void anOperatorIsOfferedOnlyWhenTheDeviceHasWhatItChanges(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = Mutants.mutated(DeviceGenerator.generate(random), random.nextInt(6), random);
        List<DeviceMutator.Operator> offered = DeviceMutator.operators(device);
        assertThat(offered.contains(DeviceMutator.Operator.REPORT)).isEqualTo(device.hidReport().length > 0);
        assertThat(offered.contains(DeviceMutator.Operator.STRINGS)).isEqualTo(device.stringCount() > 0);
        assertThat(offered.contains(DeviceMutator.Operator.DEVICE_FIELD)).isEqualTo(device.device().length >= 18);
        List<int[]> descriptors = descriptors(device.configuration());
        assertThat(offered.contains(DeviceMutator.Operator.CONFIG_FIELD)).isEqualTo(!descriptors.isEmpty());
        assertThat(offered.contains(DeviceMutator.Operator.DROP_OR_DOUBLE)).isEqualTo(descriptors.size() >= 2);
        assertThat(offered.contains(DeviceMutator.Operator.ENDPOINT))
                .isEqualTo(descriptors.stream().anyMatch(d -> d[1] == Descriptors.ENDPOINT && d[2] >= 7));
        boolean interfaces = descriptors.stream()
                .anyMatch(d -> d[1] == Descriptors.INTERFACE && d[2] >= Descriptors.INTERFACE_SIZE);
        assertThat(offered.contains(DeviceMutator.Operator.ALTERNATE)).isEqualTo(interfaces);
        assertThat(offered.contains(DeviceMutator.Operator.SPLICE)).isEqualTo(device.wellFormed()
                && descriptors.stream().anyMatch(d -> d[1] == Descriptors.INTERFACE));
        assertThat(offered).contains(DeviceMutator.Operator.FAULT, DeviceMutator.Operator.HAVOC);
    }

    /**
     * {offset, descriptor type, bLength} of each descriptor of {@code config}, read through bLength as the kernel's
     * usb_parse_configuration does, until one is shorter than two bytes or runs past the blob.
     */
    private static List<int[]> descriptors(byte[] config) {
        List<int[]> out = new ArrayList<>();
        for (int at = 0; at + 2 <= config.length; ) {
            int length = config[at] & 0xff;
            if (length < 2 || at + length > config.length) {
                break;
            }
            out.add(new int[] {at, config[at + 1] & 0xff, length});
            at += length;
        }
        return out;
    }

    /**
     * An alternate-setting mutation adds one interface descriptor, of an interface the device has, with as many
     * endpoints as the setting copied; the interfaces stay as many, wTotalLength counts the blob, and the new
     * setting is numbered past the interface's others whenever the mutant claims to be well-formed.
     */
    @Property(tries = 2000)
    void anAlternateSettingIsOneMoreSettingOfAnInterfaceTheDeviceHas(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 3) int generations) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice device = Mutants.mutated(DeviceGenerator.generate(random), generations, random);
        UsbDevice mutant = DeviceMutator.alternate(device, random);
        boolean added = mutant.origin().endsWith(" > alternate");
        // Most tries must add a setting (96% do): an alternate that always fell back would pass every try unchecked.
        Statistics.label("a setting added").collect(added);
        Statistics.label("a setting added").coverage(tries -> tries.check(true).percentage(p -> p >= 50));
        if (!added) {
            return;
        }
        byte[] before = device.configuration();
        byte[] after = mutant.configuration();
        List<int[]> settingsBefore = settings(before);
        List<int[]> settingsAfter = settings(after);
        assertThat(settingsAfter).hasSize(settingsBefore.size() + 1);
        assertThat(after[4]).as("bNumInterfaces").isEqualTo(before[4]);
        assertThat((after[2] & 0xff) | (after[3] & 0xff) << 8).as("wTotalLength").isEqualTo(after.length);
        List<String> old = new ArrayList<>(settingsBefore.stream().map(s -> s[0] + "/" + s[1]).toList());
        int[] setting = settingsAfter.stream().filter(s -> !old.remove(s[0] + "/" + s[1])).findFirst().orElseThrow();
        assertThat(settingsBefore).extracting(s -> s[0]).as("an interface the device has").contains(setting[0]);
        if (mutant.wellFormed()) {
            assertThat(settingsBefore.stream().filter(s -> s[0] == setting[0])).allMatch(s -> s[1] < setting[1]);
            assertThat(WellFormedness.problems(mutant)).as(mutant.describe()).isEmpty();
        }
    }

    /** Guided's hub mutants get a setting 1 of the hub interface now and then, whatever operators are chosen. */
    @Property(tries = 50)
    void aHubsMutantsSometimesGetASecondSettingOfTheHubInterface(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        UsbDevice hub = DeviceGenerator.generate(random, DeviceGenerator.Kind.HUB);
        DeviceMutator.Choice neverAlternate = (offered, r) -> DeviceMutator.Operator.FAULT;
        boolean second = false;
        for (int i = 0; i < 200 && !second; i++) {
            UsbDevice mutant = DeviceMutator.mutate(hub, random, neverAlternate);
            second = settings(mutant.configuration()).stream().anyMatch(s -> s[0] == 0 && s[1] == 1);
        }
        assertThat(settings(hub.configuration())).noneMatch(s -> s[1] != 0);
        assertThat(second).as("a mutant of 200 with setting 1 of interface 0").isTrue();
    }

    /** {bInterfaceNumber, bAlternateSetting} of each interface descriptor of a configuration blob, in order. */
    private static List<int[]> settings(byte[] config) {
        List<int[]> settings = new ArrayList<>();
        for (int[] d : DescriptorWalk.of(config)) {
            if ((config[d[0] + 1] & 0xff) == Descriptors.INTERFACE && d[1] >= Descriptors.INTERFACE_SIZE) {
                settings.add(new int[] {config[d[0] + 2] & 0xff, config[d[0] + 3] & 0xff});
            }
        }
        return settings;
    }

    /**
     * Two guided campaigns of one seed, driven as {@link UsbFuzzer#run} drives them, whose finds after their first
     * fresh devices come only from mutants whose last mutation was of one operator: an endpoint's in one, a
     * refusal's in the other. The first gives its late mutants an endpoint mutation last at least twice as often.
     */
    @Property(tries = 20)
    void aCampaignSpendsItsMutationsOnTheOperatorThatFinds(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        assertSpendsItsMutationsOnTheOperatorThatFinds(seed);
    }

    /**
     * Seeds whose campaigns fell short when 300 late mutants were counted (40 against 23 endpoint mutations, 55
     * against 30): 2 seeds in 600 did, so one run of the 20 tries above in 15 failed. Counted over 1,000, the lowest
     * ratio of 3,000 seeds is 2.4.
     */
    @Example
    void theSeedsWhoseCampaignsOnceFellShortSpendOnTheOperatorThatFinds() {
        assertSpendsItsMutationsOnTheOperatorThatFinds(768_505);
        assertSpendsItsMutationsOnTheOperatorThatFinds(698_784);
    }

    private static void assertSpendsItsMutationsOnTheOperatorThatFinds(long seed) {
        int endpointFinds = lateMutantsEndingWith(seed, " > endpoint", " > endpoint");
        int refusalFinds = lateMutantsEndingWith(seed, " > refuse", " > endpoint");
        assertThat(endpointFinds).as("late mutants ending with an endpoint's mutation when those find, and when"
                + " refusals find (seed " + seed + ")").isGreaterThan(2 * refusalFinds);
    }

    /**
     * How many of {@link #LATE_MUTANTS} late mutants end with {@code counted}, in a campaign where those ending with
     * {@code finds} find.
     */
    private static int lateMutantsEndingWith(long seed, String finds, String counted) {
        UsbFuzzer fuzzer = new UsbFuzzer(new UsbFuzzer.Options(300, true, 15, null, "guided", seed, 1500, 300, null,
                null, 1 << 16, null), line -> { });
        int late = 0;
        int count = 0;
        for (int i = 0; late < LATE_MUTANTS; i++) {
            UsbDevice input = fuzzer.schedule(0);
            boolean fresh = fuzzer.lastWasFresh();
            int newPcs = fresh && i < 12 || !fresh && input.origin().endsWith(finds) ? 50 : 0;
            fuzzer.learn(input, newPcs, newPcs, 0, 1.0);
            if (i >= 300 && !fresh) {
                late++;
                count += input.origin().endsWith(counted) ? 1 : 0;
            }
        }
        return count;
    }
}
