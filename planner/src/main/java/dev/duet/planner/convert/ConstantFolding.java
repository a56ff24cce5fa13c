package dev.duet.planner.convert;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexExecutor;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.util.NlsString;

/**
 * Calcite's constant folding ({@link RexUtil#EXECUTOR}), except for expressions over a string
 * with a character outside the Basic Multilingual Plane (an emoji, say): Calcite's string
 * functions count UTF-16 units ({@code length('😀')} is 2 to them), where PostgreSQL and Duet's
 * executor count characters. Such expressions are left unfolded for the executor.
 */
final class ConstantFolding implements RexExecutor {
    static final ConstantFolding INSTANCE = new ConstantFolding();

    private ConstantFolding() {
    }

    @Override
    public void reduce(RexBuilder rexBuilder, List<RexNode> constExps, List<RexNode> reducedValues) {
        List<RexNode> foldable = new ArrayList<>();
        for (RexNode e : constExps) {
            if (!hasSupplementaryCharacter(e)) {
                foldable.add(e);
            }
        }
        List<RexNode> folded = new ArrayList<>();
        if (!foldable.isEmpty()) {
            RexUtil.EXECUTOR.reduce(rexBuilder, foldable, folded);
        }
        Iterator<RexNode> next = folded.iterator();
        for (RexNode e : constExps) {
            reducedValues.add(hasSupplementaryCharacter(e) ? e : next.next());
        }
    }

    private static boolean hasSupplementaryCharacter(RexNode e) {
        if (e instanceof RexLiteral literal) {
            if (literal.getValue() instanceof NlsString nls) {
                String s = nls.getValue();
                return s.codePointCount(0, s.length()) != s.length();
            }
            return false;
        }
        return e instanceof RexCall call && call.getOperands().stream().anyMatch(ConstantFolding::hasSupplementaryCharacter);
    }
}
