package blocs_test

import (
	"fmt"
	"strings"

	"github.com/concord-project/concord/blocs"
)

// Two triangles joined by one edge: Leiden finds the two triangles.
func ExampleLeiden() {
	g, err := blocs.NewGraph(6, []string{"A", "B", "C", "X", "Y", "Z"}, []blocs.Edge{
		{U: 0, V: 1, Weight: 1}, {U: 1, V: 2, Weight: 1}, {U: 0, V: 2, Weight: 1},
		{U: 3, V: 4, Weight: 1}, {U: 4, V: 5, Weight: 1}, {U: 3, V: 5, Weight: 1},
		{U: 2, V: 3, Weight: 1},
	})
	if err != nil {
		panic(err)
	}
	p := blocs.Leiden(g, blocs.LeidenOptions{Resolution: 1, Seed: 1})
	for _, c := range p.Communities {
		var names []string
		for _, v := range c {
			names = append(names, g.Labels[v])
		}
		fmt.Println(strings.Join(names, " "))
	}
	fmt.Printf("Q = %.4f\n", p.Quality)
	// Output:
	// A B C
	// X Y Z
	// Q = 0.3571
}
