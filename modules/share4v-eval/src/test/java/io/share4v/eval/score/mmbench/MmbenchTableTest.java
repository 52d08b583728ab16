package io.share4v.eval.score.mmbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.share4v.eval.EvalInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TSV reading as pandas does it: quoted fields, pandas' missing-value strings, no image column kept. */
class MmbenchTableTest {
    @TempDir
    Path tmp;

    @Test
    void quotedFieldsAndMissingValues() throws IOException {
        Path tsv = Files.writeString(
                tmp.resolve("t.tsv"),
                "index\tquestion\tA\tB\tC\timage\n"
                        + "1\t\"two\tlines\nwith \"\"quotes\"\"\"\tnan\tNone\t\tQUJD\r\n"
                        + "\n"
                        + "1000001\tplain\tx\ty\tz\tQUJD\n");
        MmbenchTable t = MmbenchTable.read(tsv);
        assertEquals(List.of("index", "question", "A", "B", "C", "image"), t.columns());
        assertEquals(2, t.rows().size());
        assertEquals("two\tlines\nwith \"quotes\"", t.rows().get(0).get("question"));
        assertNull(t.rows().get(0).get("A"));
        assertNull(t.rows().get(0).get("B"));
        assertNull(t.rows().get(0).get("C"));
        assertEquals(false, t.rows().get(0).containsKey("image"));
        assertEquals("z", t.rows().get(1).get("C"));
    }

    @Test
    void aRowWithTheWrongFieldCountNamesTheFile() throws IOException {
        Path tsv = Files.writeString(tmp.resolve("bad.tsv"), "index\tanswer\n1\tA\textra\n");
        EvalInputException e = assertThrows(EvalInputException.class, () -> MmbenchTable.read(tsv));
        assertTrue(e.getMessage().startsWith(tsv + ": record 1 has 3 fields"), e.getMessage());
    }
}
