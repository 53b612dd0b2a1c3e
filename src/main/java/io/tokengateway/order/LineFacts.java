package io.tokengateway.order;

/**
 * The numbers and type of one order line, as read, for the arithmetic rules. A field that was absent
 * or broke its own rule has its {@code has...} flag false; the arithmetic skips what it cannot check.
 */
final class LineFacts {

    String type;
    boolean hasQuantity;
    boolean hasUnitPrice;
    boolean hasTotalAmount;
    boolean hasTaxAmount;
    boolean hasTaxRate;
    /** False when any numeric field of the line was present but unusable. */
    boolean numbersUsable = true;

    long quantity;
    long unitPrice;
    long totalAmount;
    long discount;
    long taxAmount;
    long taxRate;

    /** Types on which negative amounts are allowed (the provider's rule). */
    boolean mayBeNegative() {
        return "discount".equals(type) || "gift_card".equals(type) || "store_credit".equals(type);
    }

    boolean isSalesTax() {
        return "sales_tax".equals(type);
    }
}
