/**
 * PokeAPI (pokeapi.co): GET /api/v2/pokemon/{name|id} and /api/v2/type/{name|id}. Names are
 * lower case; anything unknown (including "Pikachu") answers 404 with the text `Not Found`.
 */
import { FakeServer, startFake } from './fake-server';

const POKEMON = [
  {
    id: 25,
    name: 'pikachu',
    height: 4,
    weight: 60,
    base_experience: 112,
    types: [{ slot: 1, type: { name: 'electric', url: 'https://pokeapi.co/api/v2/type/13/' } }],
    abilities: [{ ability: { name: 'static' }, is_hidden: false, slot: 1 }],
  },
  {
    id: 1,
    name: 'bulbasaur',
    height: 7,
    weight: 69,
    base_experience: 64,
    types: [
      { slot: 1, type: { name: 'grass' } },
      { slot: 2, type: { name: 'poison' } },
    ],
    abilities: [{ ability: { name: 'overgrow' }, is_hidden: false, slot: 1 }],
  },
];
const TYPES = [
  {
    id: 13,
    name: 'electric',
    damage_relations: { double_damage_to: [{ name: 'water' }, { name: 'flying' }] },
    pokemon: [{ pokemon: { name: 'pikachu' }, slot: 1 }],
  },
];

const find = <T extends { id: number; name: string }>(list: T[], key: string) => list.find((p) => p.name === key || String(p.id) === key);
const notFound = { status: 404, body: 'Not Found' };

export async function startPokeApiFake(): Promise<FakeServer> {
  return startFake({
    'GET /api/v2/pokemon/:key': (req) => {
      const p = find(POKEMON, req.params.key);
      return p
        ? {
            body: {
              ...p,
              sprites: { front_default: `https://raw.githubusercontent.com/PokeAPI/sprites/master/sprites/pokemon/${p.id}.png` },
            },
          }
        : notFound;
    },
    'GET /api/v2/type/:key': (req) => {
      const t = find(TYPES, req.params.key);
      return t ? { body: t } : notFound;
    },
  });
}
