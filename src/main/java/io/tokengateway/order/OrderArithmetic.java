package io.tokengateway.order;

import java.util.List;

/**
 * The provider's arithmetic rules over an order's lines, in exact int64 arithmetic where an overflow
 * is a violation, never a wrap-around:
 * <ul>
 * <li>line total: {@code total_amount == quantity × unit_price − total_discount_amount};</li>
 * <li>line tax, when {@code tax_rate} is present:
 * {@code |total_tax_amount·(10000+tax_rate) − total_amount·tax_rate| ≤ 10000+tax_rate}, the exact form of the
 * provider's "within ±1 of total_amount − total_amount·10000/(10000+tax_rate)";</li>
 * <li>{@code order_amount == Σ total_amount};</li>
 * <li>{@code order_tax_amount == Σ total_tax_amount} (VAT), or with {@code sales_tax} lines (US sales tax)
 * {@code == Σ total_amount} of those lines, and then no line may carry a {@code tax_rate};</li>
 * <li>negative amounts only on {@code discount}, {@code gift_card} and {@code store_credit} lines.</li>
 * </ul>
 * A rule whose inputs are missing or broken is skipped: their own violations say what is wrong.
 */
final class OrderArithmetic {

    private OrderArithmetic() {}

    static void check(List<LineFacts> lines, OrderTotals totals, Violations violations) {
        boolean usSalesTax = lines.stream().anyMatch(line -> line != null && line.isSalesTax());
        for (int i = 0; i < lines.size(); i++) {
            LineFacts line = lines.get(i);
            if (line != null) {
                checkSigns(i, line, violations);
                checkLineTotal(i, line, violations);
                checkLineTax(i, line, usSalesTax, violations);
            }
        }
        checkOrderAmount(lines, totals, violations);
        checkOrderTax(lines, totals, usSalesTax, violations);
    }

    /** The order-level numbers, with whether each was present and usable. */
    record OrderTotals(boolean hasAmount, long amount, boolean hasTaxAmount, long taxAmount) {}

    private static void checkSigns(int i, LineFacts line, Violations violations) {
        if (line.mayBeNegative()) {
            return;
        }
        if (line.hasUnitPrice && line.unitPrice < 0) {
            violations.add(linePath(i, "unit_price"), negative(line, line.unitPrice));
        }
        if (line.hasTotalAmount && line.totalAmount < 0) {
            violations.add(linePath(i, "total_amount"), negative(line, line.totalAmount));
        }
        if (line.hasTaxAmount && line.taxAmount < 0) {
            violations.add(linePath(i, "total_tax_amount"), negative(line, line.taxAmount));
        }
    }

    private static String negative(LineFacts line, long value) {
        String type = line.type == null ? "an untyped (physical)" : "a " + line.type;
        return "expected a non-negative amount on " + type + " line (only discount, gift_card and store_credit lines "
                + "may be negative), got " + value;
    }

    private static void checkLineTotal(int i, LineFacts line, Violations violations) {
        if (!line.numbersUsable) {
            return;
        }
        long expected;
        try {
            expected = Math.subtractExact(Math.multiplyExact(line.quantity, line.unitPrice), line.discount);
        } catch (ArithmeticException overflow) {
            violations.add(
                    linePath(i, "total_amount"), "quantity × unit_price − total_discount_amount overflows int64");
            return;
        }
        if (expected != line.totalAmount) {
            violations.add(
                    linePath(i, "total_amount"),
                    "expected " + expected + " (quantity " + line.quantity
                            + " × unit_price " + line.unitPrice + " − total_discount_amount " + line.discount
                            + "), got "
                            + line.totalAmount);
        }
    }

    private static void checkLineTax(int i, LineFacts line, boolean usSalesTax, Violations violations) {
        if (!line.hasTaxRate) {
            return;
        }
        if (usSalesTax) {
            violations.add(
                    linePath(i, "tax_rate"),
                    "expected no tax_rate in an order with sales_tax lines (US sales tax), " + "got " + line.taxRate);
            return;
        }
        if (!line.numbersUsable) {
            return;
        }
        long tax = line.hasTaxAmount ? line.taxAmount : 0;
        try {
            long divisor = Math.addExact(10_000L, line.taxRate);
            long difference = Math.subtractExact(
                    Math.multiplyExact(tax, divisor), Math.multiplyExact(line.totalAmount, line.taxRate));
            if (Math.absExact(difference) <= divisor) {
                return;
            }
            long nearest = Math.round((double) line.totalAmount * line.taxRate / divisor);
            violations.add(
                    linePath(i, "total_tax_amount"),
                    "expected " + nearest + " ± 1 (total_amount " + line.totalAmount
                            + " − total_amount × 10000 / (10000 + tax_rate " + line.taxRate + ")), got " + tax);
        } catch (ArithmeticException overflow) {
            violations.add(
                    linePath(i, "total_tax_amount"), "the tax check overflows int64 for tax_rate " + line.taxRate);
        }
    }

    private static void checkOrderAmount(List<LineFacts> lines, OrderTotals totals, Violations violations) {
        if (!totals.hasAmount() || lines.stream().anyMatch(line -> line == null || !line.hasTotalAmount)) {
            return;
        }
        try {
            long sum = 0;
            for (LineFacts line : lines) {
                sum = Math.addExact(sum, line.totalAmount);
            }
            if (sum != totals.amount()) {
                violations.add(
                        "order_amount",
                        "expected " + sum + " (the sum of order_lines[].total_amount), got " + totals.amount());
            }
        } catch (ArithmeticException overflow) {
            violations.add("order_amount", "the sum of order_lines[].total_amount overflows int64");
        }
    }

    private static void checkOrderTax(
            List<LineFacts> lines, OrderTotals totals, boolean usSalesTax, Violations violations) {
        if (!totals.hasTaxAmount() || lines.stream().anyMatch(line -> line == null || !line.numbersUsable)) {
            return;
        }
        try {
            long sum = 0;
            for (LineFacts line : lines) {
                if (!usSalesTax) {
                    sum = Math.addExact(sum, line.hasTaxAmount ? line.taxAmount : 0);
                } else if (line.isSalesTax()) {
                    sum = Math.addExact(sum, line.totalAmount);
                }
            }
            if (sum != totals.taxAmount()) {
                String rule = usSalesTax
                        ? "the sum of total_amount over the sales_tax lines (US sales tax)"
                        : "the sum of order_lines[].total_tax_amount";
                violations.add("order_tax_amount", "expected " + sum + " (" + rule + "), got " + totals.taxAmount());
            }
        } catch (ArithmeticException overflow) {
            violations.add("order_tax_amount", "the sum of the order's tax overflows int64");
        }
    }

    private static String linePath(int index, String field) {
        return "order_lines[" + index + "]." + field;
    }
}
