package ranking

import (
	"math"
	"testing"
	"time"
)

func TestWilson(t *testing.T) {
	tests := []struct {
		up, down int
		want     float64
	}{
		{0, 0, 0},
		{1, 0, 0.20654931},
		{10, 0, 0.72246720},
		{5, 5, 0.23659309},
		{0, 10, 0},
		{600, 400, 0.56930943},
	}
	for _, tt := range tests {
		got := Wilson(tt.up, tt.down)
		if math.Abs(got-tt.want) > 1e-6 {
			t.Errorf("Wilson(%d, %d) = %.8f, want %.8f", tt.up, tt.down, got, tt.want)
		}
	}
	if Wilson(40, 5) <= Wilson(2, 0) {
		t.Errorf("Wilson(40,5) = %f should beat Wilson(2,0) = %f", Wilson(40, 5), Wilson(2, 0))
	}
}

func TestHot(t *testing.T) {
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	if Hot(10, 0, now) <= Hot(1, 0, now) {
		t.Error("more net votes at the same age should be hotter")
	}
	if Hot(1, 0, now.Add(24*time.Hour)) <= Hot(5, 0, now) {
		t.Error("a day newer should outrank five times the votes")
	}
	if Hot(0, 5, now) >= Hot(0, 0, now) {
		t.Error("net-negative ideas should sink below unvoted ones of the same age")
	}
}

func TestControversy(t *testing.T) {
	tests := []struct {
		up, down int
		want     float64
	}{
		{0, 0, 0}, {10, 0, 0}, {0, 3, 0}, {5, 5, 10}, {9, 3, math.Pow(12, 1.0/3)},
	}
	for _, tt := range tests {
		if got := Controversy(tt.up, tt.down); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Controversy(%d, %d) = %f, want %f", tt.up, tt.down, got, tt.want)
		}
	}
	if Controversy(50, 50) <= Controversy(5, 5) {
		t.Error("a bigger even split should be more controversial")
	}
}
