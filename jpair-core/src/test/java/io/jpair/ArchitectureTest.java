package io.jpair;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package arrows of the style guide, checked on the library's compiled classes:
 * {@code cli -> udp/neighbour/ip/ethernet/tuntap/netlink -> transport -> reactor -> sys} (with
 * {@code neighbour} over {@code ip} and {@code ethernet}, which are independent), {@code tuntap}
 * and {@code netlink} also to {@code sys}, {@code errno} and {@code wire} under everything,
 * {@code metrics} over {@code tuntap} and {@code host} with nothing over it, and {@code testing}
 * beside the library, never under it. Packages that do not exist yet make their rules pass.
 */
class ArchitectureTest {
    private static final JavaClasses LIBRARY = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.jpair");
    private static final JavaClasses LIBRARY_AND_TESTS = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("io.jpair");

    @Test
    void sysIsUsedOnlyByReactorTuntapNetlinkAndPrivileges() {
        noClasses().that().resideOutsideOfPackages("io.jpair.sys..", "io.jpair.reactor..", "io.jpair.tuntap..",
                "io.jpair.netlink..", "io.jpair.privileges..", "io.jpair.socket..")
            .should().dependOnClassesThat().resideInAPackage("io.jpair.sys..")
            .because("only the reactor, the device ports and the privilege drop talk to the OS")
            .check(LIBRARY);
    }

    @Test
    void onlySysCallsNativeCode() {
        noClasses().that().resideOutsideOfPackage("io.jpair.sys..")
            .should().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.Linker")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.SymbolLookup")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.foreign.FunctionDescriptor")
            .because("every downcall is bound in one internal package; the rest only lays out memory")
            .check(LIBRARY);
    }

    @Test
    void offloadIsPacketArithmeticOnly() {
        noClasses().that().resideInAPackage("io.jpair.tuntap.offload..")
            .should().dependOnClassesThat(resideInAPackage("io.jpair..")
                .and(not(resideInAnyPackage("io.jpair.tuntap.offload..", "io.jpair.wire.."))))
            .because("split and coalesce depend only on the checksum, so devices and benchmarks share them")
            .check(LIBRARY);
    }

    @Test
    void testingNeverDependsOnSys() {
        noClasses().that().resideInAPackage("io.jpair.testing..")
            .should().dependOnClassesThat().resideInAPackage("io.jpair.sys..")
            .because("the in-memory fakes implement public interfaces only")
            .check(LIBRARY);
    }

    @Test
    void errnoDependsOnNothingElseInJpair() {
        noClasses().that().resideInAPackage("io.jpair.errno..")
            .should().dependOnClassesThat(resideInAPackage("io.jpair..").and(not(resideInAPackage("io.jpair.errno.."))))
            .because("every package may use errno, so errno may use none")
            .check(LIBRARY);
    }

    @Test
    void wireDependsOnNothingElseInJpair() {
        noClasses().that().resideInAPackage("io.jpair.wire..")
            .should().dependOnClassesThat(resideInAPackage("io.jpair..").and(not(resideInAPackage("io.jpair.wire.."))))
            .because("the protocol stack and the device offloads share it, so it sits below both")
            .check(LIBRARY);
    }

    @Test
    void nothingInTheLibraryDependsOnMetrics() {
        noClasses().that().resideOutsideOfPackage("io.jpair.metrics..")
            .should().dependOnClassesThat().resideInAPackage("io.jpair.metrics..")
            .because("metrics reads the ports' and the host's public counters from above, so it sits over tuntap and host")
            .check(LIBRARY);
    }

    @Test
    void nothingInTheLibraryDependsOnTheTunnel() {
        noClasses().that().resideOutsideOfPackage("io.jpair.tunnel..")
            .should().dependOnClassesThat().resideInAPackage("io.jpair.tunnel..")
            .because("the tunnel is an application of the TUN port and the kernel UDP socket, above both")
            .check(LIBRARY);
    }

    @Test
    void onlyMetricsUsesJmx() {
        noClasses().that().resideOutsideOfPackage("io.jpair.metrics..")
            .should().dependOnClassesThat().resideInAPackage("javax.management..")
            .because("the JMX view of the counters is one package; the library itself needs no java.management")
            .check(LIBRARY);
    }

    @Test
    void onlyTestsDependOnTesting() {
        noClasses().that().resideOutsideOfPackage("io.jpair.testing..")
            .should().dependOnClassesThat().resideInAPackage("io.jpair.testing..")
            .because("the library must work without its test support")
            .check(LIBRARY);
    }

    @Test
    void reactorDependsOnNoHigherPackage() {
        noClasses().that().resideInAPackage("io.jpair.reactor..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jpair.transport..", "io.jpair.tuntap..",
                "io.jpair.netlink..", "io.jpair.ethernet..", "io.jpair.ip..", "io.jpair.neighbour..", "io.jpair.udp..",
                "io.jpair.host..", "io.jpair.testing..")
            .because("arrows point one way: transport -> reactor -> sys")
            .check(LIBRARY);
    }

    @Test
    void transportDependsOnNoHigherPackage() {
        noClasses().that().resideInAPackage("io.jpair.transport..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jpair.tuntap..", "io.jpair.netlink..",
                "io.jpair.ethernet..", "io.jpair.ip..", "io.jpair.neighbour..", "io.jpair.udp..", "io.jpair.host..",
                "io.jpair.testing..")
            .because("protocols and ports depend on transport, not the other way")
            .check(LIBRARY);
    }

    @Test
    void ipDependsOnNeitherEthernetNorNeighbour() {
        noClasses().that().resideInAPackage("io.jpair.ip..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jpair.ethernet..", "io.jpair.neighbour..")
            .because("IP runs on TUN without a link layer; neighbour resolution sits on top of both")
            .check(LIBRARY);
    }

    @Test
    void ethernetDependsOnNoIpLayer() {
        noClasses().that().resideInAPackage("io.jpair.ethernet..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jpair.ip..", "io.jpair.neighbour..",
                "io.jpair.udp..")
            .because("Ethernet demultiplexes frames for any protocol and knows nothing of IP")
            .check(LIBRARY);
    }

    @Test
    void protocolStackDoesNotDependOnDevicePorts() {
        noClasses().that().resideInAnyPackage("io.jpair.ethernet..", "io.jpair.ip..", "io.jpair.neighbour..",
                "io.jpair.udp..")
            .should().dependOnClassesThat().resideInAnyPackage("io.jpair.tuntap..", "io.jpair.netlink..",
                "io.jpair.host..")
            .because("protocols see only transport interfaces (Twisted's pair protocols)")
            .allowEmptyShould(true)
            .check(LIBRARY);
    }

    @Test
    void servicesSeeOnlyStreamsAndTime() {
        noClasses().that().resideInAPackage("io.jpair.services..")
            .should().dependOnClassesThat(resideInAPackage("io.jpair..")
                .and(not(resideInAnyPackage("io.jpair.services..", "io.jpair.stream..", "io.jpair.transport..",
                    "io.jpair.reactor.."))))
            .because("a service is a stream protocol that runs on any TCP: userspace or the kernel's")
            .check(LIBRARY);
    }

    @Test
    void noClassIsNamedUtilHelperOrManager() {
        noClasses().should().haveSimpleNameContaining("Util")
            .orShould().haveSimpleNameContaining("Helper")
            .orShould().haveSimpleNameContaining("Manager")
            .because("names say what a thing is")
            .check(LIBRARY_AND_TESTS);
    }
}
