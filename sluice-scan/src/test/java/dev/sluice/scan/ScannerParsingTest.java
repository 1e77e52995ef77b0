package dev.sluice.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.type.VarType;
import org.junit.jupiter.api.Test;

/** The parser set up for speed still builds the tree the rules read. */
class ScannerParsingTest {
    private static ParserConfiguration java17() {
        return new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17);
    }

    @Test
    void theValidatingProcessorIsWhereThisJavaParserPutsIt() {
        // Fails after a JavaParser upgrade that moves it: then the scan silently validates again.
        assertThat(java17().getProcessors()).anySatisfy(supplier ->
                assertThat(supplier.get().getClass().getName()).isEqualTo(Scanner.VALIDATING_PROCESSOR));
    }

    @Test
    void languageLevelChecksAreOffAndVarIsStillAType() {
        String source = "class A { void m() { var x = 1; int _ = 2; } }";
        ParseResult<CompilationUnit> validated = new JavaParser(java17()).parse(source);
        assertThat(validated.isSuccessful()).as("the Java 17 rules reject '_' as a name").isFalse();

        ParseResult<CompilationUnit> fast = new JavaParser(Scanner.withoutValidation(java17())).parse(source);
        assertThat(fast.isSuccessful()).as(fast.getProblems().toString()).isTrue();
        assertThat(fast.getResult().orElseThrow().findAll(VarType.class)).hasSize(1);
    }

    @Test
    void switchExpressionsWithYieldStillParse() {
        String source = "class A { int m(int k) { return switch (k) { case 1 -> 1; default -> { yield 2; } }; } }";
        ParseResult<CompilationUnit> fast = new JavaParser(Scanner.withoutValidation(java17())).parse(source);
        assertThat(fast.isSuccessful()).as(fast.getProblems().toString()).isTrue();
    }
}
