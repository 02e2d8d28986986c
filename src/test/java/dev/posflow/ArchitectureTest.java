package dev.posflow;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.CanBeAnnotated.Predicates.annotatedWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The flow of posflow's packages as rules, each forbidden arrow by name (see docs/architecture.md):
 * <pre>
 *   sampling → publish → (Kafka) → ingest → store → latest, live, retention → view, export → api
 * </pre>
 * {@code sample} (the vocabulary) and {@code config} sit below everything; {@code auth} and {@code limits} serve the
 * API. A class may use what lies below it in the flow, never what lies above; no rule has an exception. The store is
 * split by role (schema, write, read, erase), each part one way.
 */
class ArchitectureTest {

    private static final String SAMPLE = "dev.posflow.sample..";
    private static final String CONFIG = "dev.posflow.config..";
    private static final String SAMPLING = "dev.posflow.sampling..";
    private static final String PUBLISH = "dev.posflow.publish..";
    private static final String INGEST = "dev.posflow.ingest..";
    private static final String INGEST_MAIN_LINE = "dev.posflow.ingest";
    private static final String INCARNATIONS = "dev.posflow.ingest.incarnations..";
    private static final String STORE = "dev.posflow.store..";
    private static final String STORE_SCHEMA = "dev.posflow.store.schema..";
    private static final String STORE_WRITE = "dev.posflow.store.write..";
    private static final String STORE_READ = "dev.posflow.store.read..";
    private static final String STORE_ERASE = "dev.posflow.store.erase..";
    private static final String LATEST = "dev.posflow.latest..";
    private static final String LIVE = "dev.posflow.live..";
    private static final String RETENTION = "dev.posflow.retention..";
    private static final String VIEW = "dev.posflow.view..";
    private static final String EXPORT = "dev.posflow.export..";
    private static final String API = "dev.posflow.api..";
    private static final String AUTH = "dev.posflow.auth..";
    private static final String LIMITS = "dev.posflow.limits..";
    private static final String DEVINFRA = "dev.posflow.devinfra..";

    /** The read side: what shows stored positions to clients. */
    private static final String[] READ_SIDE = { LATEST, LIVE, VIEW, EXPORT, API };

    static final ArchRule packagesHaveNoCycles = slices().matching("dev.posflow.(*)..").should().beFreeOfCycles()
            .as("no package uses a package that uses it back");

    static final ArchRule sampleDependsOnNothing = noClasses().that().resideInAPackage(SAMPLE)
            .should().dependOnClassesThat(resideInAPackage("dev.posflow..").and(not(resideInAPackage(SAMPLE))))
            .as("sample (what a sample is, how its instants are written) depends on no other posflow package");

    static final ArchRule configOnlyKnowsSamples = noClasses().that().resideInAPackage(CONFIG)
            .should().dependOnClassesThat(resideInAPackage("dev.posflow..")
                    .and(not(resideInAnyPackage(CONFIG, SAMPLE))))
            .as("config depends on nothing but sample");

    static final ArchRule publishingSideDoesNotReachIngestOrTheStore = noClasses()
            .that().resideInAnyPackage(SAMPLING, PUBLISH)
            .should().dependOnClassesThat().resideInAnyPackage(INGEST, STORE, LATEST, LIVE, RETENTION, VIEW, EXPORT,
                    API, AUTH, LIMITS)
            .as("sampling and publish reach Kafka only: not ingest, the store nor anything above it");

    static final ArchRule publishDoesNotDependOnSampling = noClasses().that().resideInAPackage(PUBLISH)
            .should().dependOnClassesThat().resideInAPackage(SAMPLING)
            .as("publish does not depend on sampling (sampling feeds publish)");

    static final ArchRule ingestDoesNotDependOnPublish = noClasses().that().resideInAPackage(INGEST)
            .should().dependOnClassesThat().resideInAnyPackage(PUBLISH, SAMPLING)
            .as("ingest does not depend on publish (records come from Kafka, not from the publishing side)");

    static final ArchRule ingestDoesNotDependOnTheReadSide = noClasses().that().resideInAPackage(INGEST)
            .should().dependOnClassesThat().resideInAnyPackage(READ_SIDE)
            .as("ingest does not depend on latest, live, view, export or api: readers observe its commits");

    static final ArchRule storeDoesNotDependOnItsUsers = noClasses().that().resideInAPackage(STORE)
            .should().dependOnClassesThat().resideInAnyPackage(SAMPLING, PUBLISH, INGEST, LATEST, LIVE, RETENTION,
                    VIEW, EXPORT, API, AUTH, LIMITS)
            .as("store does not depend on view or api, nor on any other package that uses it");

    static final ArchRule incarnationsDoNotCallTheMainLine = noClasses().that().resideInAPackage(INCARNATIONS)
            .should().dependOnClassesThat().resideInAPackage(INGEST_MAIN_LINE)
            .as("ingest.incarnations (where a partition resumes, in which incarnation) does not call back into the"
                    + " ingest main line that uses it");

    /** Each top-level class of ingest.incarnations (with its nested classes) as a slice of its own. */
    private static final SliceAssignment INCARNATION_CLASSES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            return javaClass.getPackageName().equals(INCARNATIONS.replace("..", ""))
                    ? SliceIdentifier.of(javaClass.getName().replaceFirst("\\$.*", ""))
                    : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the classes of ingest.incarnations";
        }
    };

    static final ArchRule incarnationClassesHaveNoCycles = slices().assignedFrom(INCARNATION_CLASSES).should()
            .beFreeOfCycles().as("no class of ingest.incarnations uses a class that uses it back (OffsetWatch compares,"
                    + " ExpectedOffsets holds what the others set)");

    static final ArchRule storePartsHaveNoCycles = slices().matching("dev.posflow.store.(*)..").should()
            .beFreeOfCycles().as("no part of the store (schema, write, read, erase) uses a part that uses it back");

    static final ArchRule storeSchemaIsTheBottom = noClasses().that().resideInAPackage(STORE_SCHEMA)
            .should().dependOnClassesThat().resideInAnyPackage(STORE_WRITE, STORE_READ, STORE_ERASE)
            .as("store.schema (entities and their mapping) depends on no other part of the store");

    static final ArchRule storeReadsDoNotWrite = noClasses().that().resideInAPackage(STORE_READ)
            .should().dependOnClassesThat().resideInAnyPackage(STORE_WRITE, STORE_ERASE)
            .as("store.read does not depend on store.write or store.erase");

    static final ArchRule storeWritesDoNotReadForClients = noClasses().that().resideInAPackage(STORE_WRITE)
            .should().dependOnClassesThat().resideInAnyPackage(STORE_READ, STORE_ERASE)
            .as("store.write (ingest's transaction) does not depend on store.read or store.erase");

    static final ArchRule viewIsNotDataAccess = noClasses().that().resideInAPackage(VIEW)
            .should().dependOnClassesThat(resideInAPackage(STORE).and(annotatedWith(ApplicationScoped.class)))
            .as("view does not depend on store internals: it writes the rows it is handed, it reads nothing");

    static final ArchRule viewDoesNotDependOnWhatShowsIt = noClasses().that().resideInAPackage(VIEW)
            .should().dependOnClassesThat().resideInAnyPackage(LATEST, LIVE, EXPORT, API, INGEST, PUBLISH, LIMITS)
            .as("view does not depend on the packages that show it, nor on the write side");

    static final ArchRule latestDoesNotBuildViewRecords = noClasses().that().resideInAPackage(LATEST)
            .should().dependOnClassesThat().resideInAPackage(VIEW)
            .as("latest does not build view records (the API side writes its rows, through latest.SnapshotJson)");

    static final ArchRule liveDoesNotBuildViewRecords = noClasses().that().resideInAPackage(LIVE)
            .should().dependOnClassesThat().resideInAPackage(VIEW)
            .as("live does not build view records (it hands on stored positions; the live resource writes them)");

    static final ArchRule latestAndLiveDoNotDependOnTheApi = noClasses().that().resideInAnyPackage(LATEST, LIVE,
            RETENTION, EXPORT)
            .should().dependOnClassesThat().resideInAnyPackage(API, AUTH, LIMITS)
            .as("latest, live, retention and export do not depend on api, auth or limits");

    static final ArchRule limitsDoNotReachIntoLatest = noClasses().that().resideInAPackage(LIMITS)
            .should().dependOnClassesThat().resideInAnyPackage(LATEST, STORE, INGEST)
            .as("limits do not reach into latest (nor the store or ingest): the API asks latest, limits count");

    static final ArchRule nothingDependsOnTheApi = noClasses().that().resideOutsideOfPackage(API)
            .should().dependOnClassesThat().resideInAPackage(API)
            .as("nothing depends on api: it is the top of the flow");

    static final ArchRule theApplicationDoesNotUseDevInfrastructure = noClasses().that(notDevInfra())
            .should().dependOnClassesThat().resideInAPackage(DEVINFRA)
            .as("the application does not use dev.posflow.devinfra (dev mode's own module)");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.posflow");
    }

    static Stream<ArchRule> rules() {
        return Stream.of(packagesHaveNoCycles,
                sampleDependsOnNothing,
                configOnlyKnowsSamples,
                publishingSideDoesNotReachIngestOrTheStore,
                publishDoesNotDependOnSampling,
                ingestDoesNotDependOnPublish,
                ingestDoesNotDependOnTheReadSide,
                storeDoesNotDependOnItsUsers,
                incarnationsDoNotCallTheMainLine,
                incarnationClassesHaveNoCycles,
                storePartsHaveNoCycles,
                storeSchemaIsTheBottom,
                storeReadsDoNotWrite,
                storeWritesDoNotReadForClients,
                viewIsNotDataAccess,
                viewDoesNotDependOnWhatShowsIt,
                latestDoesNotBuildViewRecords,
                liveDoesNotBuildViewRecords,
                latestAndLiveDoNotDependOnTheApi,
                limitsDoNotReachIntoLatest,
                nothingDependsOnTheApi,
                theApplicationDoesNotUseDevInfrastructure);
    }

    /** Each rule by its name: the arrow it forbids. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void holds(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    void theRulesSeeTheApplication() {
        // a rule over no classes passes whatever it says: the import must hold every package the rules name
        assertTrue(classes.containPackage("dev.posflow.ingest") && classes.containPackage("dev.posflow.api")
                && classes.containPackage("dev.posflow.view"), "the application's classes were imported");
        assertThrows(AssertionError.class, () -> noClasses().that().resideInAPackage("dev.posflow.api..")
                .should().dependOnClassesThat().resideInAPackage("dev.posflow.view..").check(classes),
                "a rule that today's code breaks fails");
    }

    private static DescribedPredicate<JavaClass> notDevInfra() {
        return not(resideInAPackage(DEVINFRA));
    }
}
