-- title: Record one agent, model and speed's price recipe
-- params: stamp (VARCHAR), price_source (VARCHAR), agent (VARCHAR), model (VARCHAR), speed (VARCHAR), recipe (VARCHAR)
INSERT INTO price_book (stamp, price_source, agent, model, speed, recipe)
VALUES ($stamp, $price_source, $agent, $model, $speed, $recipe)
