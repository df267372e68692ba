/**
 * The {@code jpair} command ({@code demo}, {@code host}, {@code capture}, {@code mkdev}), run by
 * {@code ./jpair} on the module path:
 * {@code java --enable-native-access=io.jpair.core -p jpair.jar:lib -m io.jpair.cli}.
 *
 * <p>picocli fills the commands' {@code @Option} and {@code @Mixin} fields and creates their
 * converters and version provider by reflection, hence {@code opens io.jpair.cli to info.picocli}.
 * Log lines go through SLF4J; the binding ({@code org.slf4j.simple}, configured by the top-level
 * resource {@code simplelogger.properties}) is found by service binding, not required here.
 */
module io.jpair.cli {
    requires io.jpair.core;
    requires info.picocli;
    requires org.slf4j;

    opens io.jpair.cli to info.picocli;
}
