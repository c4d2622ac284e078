package validate

import (
	"fmt"
	"math/big"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// TestArenaBoxes: a value boxed by the arena is indistinguishable from
// one boxed the usual way: equal, same dynamic type, same type switch
// case, same formatting; and it survives garbage collections.
func TestArenaBoxes(t *testing.T) {
	var a arena
	zone := time.FixedZone("X", 5*3600+1800)
	want := []any{"", "text 客户", int64(0), int64(255), int64(256), int64(-1), int64(1 << 62),
		Decimal{Int: -12345, Scale: 2}, Decimal{Big: big.NewInt(7), Scale: 1},
		pgtype.Date{Time: time.Date(1969, 7, 20, 0, 0, 0, 0, time.UTC), Valid: true},
		time.Date(2024, 2, 29, 13, 14, 15, 16, zone)}
	var got []any
	for round := 0; round < 3*chunkLen/len(want)+1; round++ {
		for _, w := range want {
			var b any
			switch x := w.(type) {
			case string:
				b = a.str(x)
			case int64:
				b = a.int(x)
			case Decimal:
				b = a.dec(x)
			case pgtype.Date:
				b = a.date(x)
			case time.Time:
				b = a.time(x)
			}
			got = append(got, b)
		}
		runtime.GC()
	}
	for i, b := range got {
		w := want[i%len(want)]
		if reflect.TypeOf(b) != reflect.TypeOf(w) || fmt.Sprint(b) != fmt.Sprint(w) {
			t.Fatalf("%d: %T %v, want %T %v", i, b, b, w, w)
		}
		if _, isDec := w.(Decimal); !isDec && b != w { // Decimal holds a *big.Int: compare by text
			t.Fatalf("%d: %#v != %#v", i, b, w)
		}
		switch b.(type) {
		case string, int64, Decimal, pgtype.Date, time.Time:
		default:
			t.Fatalf("%d: type switch missed %T", i, b)
		}
	}
	var nilArena *arena
	if v := nilArena.str("x"); v != "x" {
		t.Fatal(v)
	}
}
