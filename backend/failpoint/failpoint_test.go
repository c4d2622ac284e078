package failpoint

import "testing"

func TestArmed(t *testing.T) {
	cases := []struct {
		name, env string
		point     string
		seq       int
		want      bool
	}{
		{"unset", "", "mid-copy", 1, false},
		{"armed", "mid-copy:3", "mid-copy", 3, true},
		{"other batch", "mid-copy:3", "mid-copy", 2, false},
		{"other point", "after-commit:3", "mid-copy", 3, false},
		{"no number", "mid-copy:x", "mid-copy", 0, false},
		{"no colon", "mid-copy", "mid-copy", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(Env, tc.env)
			if got := Armed(tc.point, tc.seq); got != tc.want {
				t.Errorf("Armed(%q, %d) with %q = %v, want %v", tc.point, tc.seq, tc.env, got, tc.want)
			}
		})
	}
}
