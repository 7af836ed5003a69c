package io.fulcrum.dataplane.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node's own address for a VIP: on the VIP's subnet, never a VIP address itself. */
@Timeout(10)
class LocalAddressTest {
    private static final LocalAddress.Interfaces HOST = () -> List.of(
            new LocalAddress.Nic("lo", List.of(new LocalAddress.Nic.Address("127.0.0.1", 8))),
            new LocalAddress.Nic("eth0", List.of(new LocalAddress.Nic.Address("192.168.1.5", 24))),
            new LocalAddress.Nic("e0", List.of(new LocalAddress.Nic.Address("10.0.0.51", 24),
                    new LocalAddress.Nic.Address("10.0.0.11", 24), new LocalAddress.Nic.Address("10.0.0.50", 24))));

    @Test
    void theInterfaceWhoseSubnetHoldsTheVipAndNotAnotherVipsAddress() {
        assertEquals(new LocalAddress("e0", "10.0.0.11"), LocalAddress.find("10.0.0.50/24", "", Set.of("10.0.0.50", "10.0.0.51"), HOST));
        assertEquals(new LocalAddress("eth0", "192.168.1.5"), LocalAddress.find("10.9.9.9/24", "eth0", Set.of("10.9.9.9"), HOST));
    }

    @Test
    void noPlaceSaysWhy() {
        assertEquals("no interface has an address in 172.16.0.0/16", assertThrows(IllegalStateException.class,
                () -> LocalAddress.find("172.16.5.5/16", "", Set.of("172.16.5.5"), HOST)).getMessage());
        assertEquals("no interface bond0 (or it is down)", assertThrows(IllegalStateException.class,
                () -> LocalAddress.find("10.0.0.50/24", "bond0", Set.of("10.0.0.50"), HOST)).getMessage());
    }
}
