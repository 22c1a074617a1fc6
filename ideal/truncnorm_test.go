package ideal

import (
	"math"
	"math/rand/v2"
	"testing"
)

// numMoments integrates the standard normal density over [a, b] numerically
// (Simpson's rule on a fine grid) and returns the mean and variance.
func numMoments(a, b float64) (mean, vr float64) {
	a, b = math.Max(a, -40), math.Min(b, 40)
	const n = 200000
	h := (b - a) / n
	var z, m1, m2 float64
	for i := 0; i <= n; i++ {
		x := a + float64(i)*h
		w := 2.0
		if i == 0 || i == n {
			w = 1
		} else if i%2 == 1 {
			w = 4
		}
		f := w * math.Exp(-0.5*(x-a)*(x+a)) // density scaled by exp(a²/2) against underflow
		if a < 0 && b > 0 {
			f = w * math.Exp(-0.5*x*x)
		} else if b <= 0 {
			f = w * math.Exp(-0.5*(x-b)*(x+b))
		}
		z += f
		m1 += f * x
		m2 += f * x * x
	}
	mean = m1 / z
	return mean, m2/z - mean*mean
}

func TestTruncatedNormalMomentsMatchNumericalIntegration(t *testing.T) {
	for _, c := range []struct{ a, b float64 }{
		{-3, math.Inf(1)}, {0, math.Inf(1)}, {1.3, math.Inf(1)}, {7.99, math.Inf(1)}, {8.5, math.Inf(1)}, {25, math.Inf(1)},
		{-7.9, math.Inf(1)}, {-9, math.Inf(1)},
		{-1, 0.5}, {-0.01, 0.02}, {2, 3}, {9, 9.5}, {30, 31}, {-31, -30}, {-5, -4.5}, {12, 12 + 1e-9},
	} {
		var m, v float64
		if math.IsInf(c.b, 1) {
			m, v = upperTail(c.a)
		} else {
			m, v = interval(c.a, c.b)
		}
		em, ev := numMoments(c.a, c.b)
		if math.Abs(m-em) > 1e-7*math.Max(1, math.Abs(em)) || math.Abs(v-ev) > 1e-6*ev+1e-12 {
			t.Errorf("[%v, %v]: mean %.12g var %.12g, numerical %.12g %.12g", c.a, c.b, m, v, em, ev)
		}
	}
}

func TestInverseMillsTableIsAccurateTo1e9(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 100000; i++ {
		a := -9 + 18*rng.Float64()
		got, want := lambda(a), lambdaExact(a)
		if math.Abs(got-want) > 1e-9*math.Max(1, want) {
			t.Fatalf("λ(%v) = %.15g, want %.15g", a, got, want)
		}
	}
}

func TestLatentMomentsPerCategory(t *testing.T) {
	// Category means lie in their intervals and are ordered; variances are
	// below the untruncated variance.
	for _, mu := range []float64{-3, -0.2, 0.5, 1.7, 4} {
		for _, s := range []float64{0.3, 1, 2.5} {
			m0, v0 := latent(mu, s, 0, 3)
			m1, v1 := latent(mu, s, 1, 3)
			m2, v2 := latent(mu, s, 2, 3)
			if !(m0 < 0 && m1 >= 0 && m1 < 1 && m2 >= 1) {
				t.Errorf("mu %v s %v: means %v %v %v outside their intervals", mu, s, m0, m1, m2)
			}
			for _, v := range []float64{v0, v1, v2} {
				if !(v > 0 && v <= s*s) {
					t.Errorf("mu %v s %v: variance %v not in (0, %v]", mu, s, v, s*s)
				}
			}
			b0, _ := latent(mu, s, 0, 2)
			b1, _ := latent(mu, s, 1, 2)
			if !(b0 < 0 && b1 >= 0) {
				t.Errorf("binary mu %v s %v: means %v %v", mu, s, b0, b1)
			}
		}
	}
}

func TestNormalTableIsAccurateTo1e10(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 100000; i++ {
		x := -9 + 18*rng.Float64()
		c, p := normTab(x)
		wc, wp := 0.5*math.Erfc(-x*invSqrt2), phi(x)
		if math.Abs(c-wc) > 1e-10 || math.Abs(p-wp) > 1e-10 {
			t.Fatalf("x = %v: Φ %.15g φ %.15g, want %.15g %.15g", x, c, p, wc, wp)
		}
	}
}
