package io.fulcrum.config.schema;

/** The name of another resource (user-defined or built-in). Whether it exists is the model's check. */
final class NameRefType extends TextType {
    private final Kind target;

    NameRefType(Kind target) {
        this.target = target;
    }

    Kind target() {
        return target;
    }

    @Override
    public Object check(Object value) {
        String name = (String) value;
        if (!Names.isValid(name) && !target.isBuiltIn(name)) {
            throw InvalidValueException.mustBe(describe(), name);
        }
        return name;
    }

    @Override
    public String describe() {
        String builtIns = target.builtIns().isEmpty() ? "" : " or one of " + String.join(", ", target.builtIns().stream().sorted().toList());
        return "the name of " + target.withArticle() + builtIns;
    }
}
