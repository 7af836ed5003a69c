package io.fulcrum.config.schema;

/** A network in CIDR notation, IPv4 or IPv6, with no host bits set. */
final class CidrType extends TextType {
    private static final String WHAT = "a network ADDRESS/PREFIX such as 10.0.0.0/8 or fd00::/8";

    @Override
    public Object check(Object value) {
        String text = (String) value;
        int slash = text.indexOf('/');
        byte[] address = slash > 0 ? IpLiterals.parse(text.substring(0, slash)) : null;
        String prefixText = slash > 0 ? text.substring(slash + 1) : "";
        if (address == null || prefixText.isEmpty() || prefixText.length() > 3
                || !prefixText.chars().allMatch(Character::isDigit)) {
            throw InvalidValueException.mustBe(WHAT, text);
        }
        int prefix = Integer.parseInt(prefixText);
        if (prefix > address.length * 8) {
            throw InvalidValueException.mustBe(WHAT + " (prefix 0.." + address.length * 8 + ")", text);
        }
        byte[] network = mask(address, prefix);
        String canonical = IpLiterals.format(network) + "/" + prefix;
        if (!java.util.Arrays.equals(network, address)) {
            throw new InvalidValueException("must be a network address without host bits, got \"" + text
                    + "\" (did you mean " + canonical + "?)");
        }
        return canonical;
    }

    static byte[] mask(byte[] address, int prefix) {
        byte[] network = address.clone();
        for (int bit = prefix; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return network;
    }

    @Override
    public String describe() {
        return WHAT;
    }
}
