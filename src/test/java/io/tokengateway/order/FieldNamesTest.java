package io.tokengateway.order;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FieldNamesTest {

    final FieldNames names = new FieldNames();

    @Test
    void aNameRepeatedInOneObjectIsCaught() {
        names.open();
        assertTrue(names.add("a"));
        assertTrue(names.add("b"));
        assertFalse(names.add("a"));
    }

    @Test
    void equalNamesThatAreDistinctStringsAreCaught() {
        names.open();
        assertTrue(names.add(new String("order_amount")));
        assertFalse(names.add(new String("order_amount")));
    }

    @Test
    void namesWithTheSameHashAreNotMistakenForEachOther() {
        names.open();
        assertTrue("Aa".hashCode() == "BB".hashCode());
        assertTrue(names.add("Aa"));
        assertTrue(names.add("BB"));
        assertFalse(names.add("BB"));
        assertFalse(names.add("Aa"));
    }

    @Test
    void theSameNameInANestedObjectOrASiblingIsAllowed() {
        names.open();
        assertTrue(names.add("name"));
        names.open();
        assertTrue(names.add("name"));
        names.close();
        names.open();
        assertTrue(names.add("name"), "a sibling object starts with no names");
        names.close();
        assertFalse(names.add("name"), "the outer object still has its own");
    }

    @Test
    void theOuterObjectKeepsItsNamesAcrossDeepNesting() {
        names.open();
        assertTrue(names.add("outer"));
        for (int depth = 0; depth < 40; depth++) { // beyond the arrays' first size
            names.open();
            assertTrue(names.add("outer"));
            for (int i = 0; i < 5; i++) {
                assertTrue(names.add("f" + i));
            }
        }
        for (int depth = 0; depth < 40; depth++) {
            names.close();
        }
        assertTrue(names.add("inner"));
        assertFalse(names.add("outer"));
    }

    @Test
    void aWideObjectStillCatchesEveryRepeat() {
        names.open();
        int count = FieldNames.LINEAR_LIMIT * 50;
        for (int i = 0; i < count; i++) {
            assertTrue(names.add("field" + i));
        }
        for (int i = 0; i < count; i += 7) {
            assertFalse(names.add("field" + i), "field" + i);
        }
        names.open();
        assertTrue(names.add("field0"), "an object inside the wide one has its own names");
        assertFalse(names.add("field0"));
        names.close();
        assertFalse(names.add("field" + (count - 1)));
    }

    @Test
    void anObjectAfterAWideSiblingStartsEmpty() {
        names.open();
        names.open();
        for (int i = 0; i <= FieldNames.LINEAR_LIMIT + 3; i++) {
            assertTrue(names.add("n" + i));
        }
        names.close();
        names.open();
        assertTrue(names.add("n0"));
        assertTrue(names.add("n" + FieldNames.LINEAR_LIMIT));
        names.close();
    }
}
