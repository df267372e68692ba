package io.jpair.privileges;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrivilegesTest {
    @Test
    void lookupFindsUsersInEtcPasswd() {
        assertThat(Privileges.lookup("root")).isEqualTo(new Privileges.Identity("root", 0, 0));
    }

    @Test
    void lookupTakesNumericIds() {
        assertThat(Privileges.lookup("1234:99")).isEqualTo(new Privileges.Identity("1234:99", 1234, 99));
        assertThat(Privileges.lookup("1234")).isEqualTo(new Privileges.Identity("1234", 1234, 1234));
    }

    @Test
    void lookupOfAnUnknownUserSaysSo() {
        assertThatThrownBy(() -> Privileges.lookup("no-such-user-here")).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("no such user 'no-such-user-here'");
    }

    @Test
    void capabilitiesRendersAllFiveSetsInHex() {
        assertThat(new Capabilities(0, 0, 0x1000, 0x1fffeffffffL, 0).toString())
            .isEqualTo("CapEff=0000000000001000 CapPrm=0000000000000000 CapInh=0000000000000000 CapAmb=0000000000000000"
                + " CapBnd=000001fffeffffff");
    }
}
