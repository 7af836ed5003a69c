package io.fulcrum.config.schema;

/**
 * A virtual IPv4 address with the prefix of its subnet ({@code 10.210.0.50/24}): a usable unicast
 * host address (not the unspecified address, loopback, multicast or broadcast).
 */
final class VipAddressType extends TextType {
    private static final String WHAT = "an IPv4 ADDRESS/PREFIX such as 10.210.0.50/24 (the address and the prefix of its subnet)";

    @Override
    public Object check(Object value) {
        String text = (String) value;
        int slash = text.indexOf('/');
        String prefixText = slash > 0 ? text.substring(slash + 1) : "";
        byte[] address = slash > 0 ? IpLiterals.parse(text.substring(0, slash)) : null;
        if (address == null || prefixText.isEmpty() || prefixText.length() > 2
                || !prefixText.chars().allMatch(Character::isDigit)) {
            throw InvalidValueException.mustBe(WHAT, text);
        }
        if (address.length != 4) {
            throw new InvalidValueException("must be an IPv4 address (VRRP for IPv6 is not supported yet), got "
                    + InvalidValueException.quote(text));
        }
        int prefix = Integer.parseInt(prefixText);
        if (prefix < 1 || prefix > 32) {
            throw InvalidValueException.mustBe(WHAT + " with a prefix 1..32", text);
        }
        int first = address[0] & 0xff;
        boolean allOnes = (address[0] & address[1] & address[2] & address[3]) == (byte) 0xff;
        boolean zero = (address[0] | address[1] | address[2] | address[3]) == 0;
        if (zero || first == 127 || first >= 224 || allOnes) {
            throw new InvalidValueException("must be a unicast host address (not 0.0.0.0, 127.0.0.0/8, multicast or "
                    + "broadcast), got " + InvalidValueException.quote(text));
        }
        return IpLiterals.format(address) + "/" + prefix;
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
