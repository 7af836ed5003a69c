package io.fulcrum.config.model;

import com.google.protobuf.Message;
import io.fulcrum.config.ConfigException.Reason;
import io.fulcrum.config.schema.Kind;
import io.fulcrum.config.schema.Vrrp;
import io.fulcrum.proto.v1.Vip;
import java.util.List;

/**
 * The rules between VIPs, checked on the whole model after each batch: one address per VIP, one
 * router id per interface (an empty interface may be any, so it clashes with every interface), and
 * a password only with VRRPv2 (VRRPv3 has no authentication).
 */
final class VipRules {
    private VipRules() {
    }

    static void check(BatchApplier model) {
        List<Vip> vips = model.read(Kind.VIP).values().stream().map(Vip.class::cast).toList();
        for (int i = 0; i < vips.size(); i++) {
            Vip vip = vips.get(i);
            checkPassword(vip);
            for (int j = 0; j < i; j++) {
                checkPair(vips.get(j), vip);
            }
        }
    }

    private static void checkPassword(Vip vip) {
        if (!vip.getPassword().isEmpty() && Vrrp.version(vip.getAdvertIntervalMs()) == 3) {
            throw ValidationException.invalid("vip " + vip.getName() + ": a password needs VRRPv2, an advert of whole "
                    + "seconds (VRRPv3, for advert " + vip.getAdvertIntervalMs() + " ms, has no authentication); "
                    + "give advert 1000 or remove the password");
        }
    }

    private static void checkPair(Vip earlier, Vip vip) {
        if (address(earlier).equals(address(vip))) {
            throw new ValidationException(Reason.FAILED_PRECONDITION, "vip " + vip.getName() + ": address "
                    + address(vip) + " is vip " + earlier.getName() + "'s already");
        }
        boolean sameInterface = earlier.getInterface().isEmpty() || vip.getInterface().isEmpty()
                || earlier.getInterface().equals(vip.getInterface());
        if (sameInterface && earlier.getRouterId() == vip.getRouterId()) {
            throw new ValidationException(Reason.FAILED_PRECONDITION, "vip " + vip.getName() + ": router-id "
                    + vip.getRouterId() + " is used by vip " + earlier.getName() + " on "
                    + (earlier.getInterface().isEmpty() ? "the interface its route picks" : "interface " + earlier.getInterface())
                    + "; router ids must be unique per interface");
        }
    }

    private static String address(Message vip) {
        String address = ((Vip) vip).getAddress();
        return address.substring(0, address.indexOf('/'));
    }
}
