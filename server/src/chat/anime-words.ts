// The project's own anime-themed dictionaries for generated names (adjective + noun).

export const ANIME_ADJECTIVES = [
  'Sleepy', 'Crimson', 'Silent', 'Radiant', 'Lunar', 'Solar', 'Stormy', 'Gentle', 'Fierce', 'Mystic',
  'Shy', 'Brave', 'Sparkly', 'Shadow', 'Golden', 'Silver', 'Azure', 'Jade', 'Scarlet', 'Violet',
  'Frosty', 'Blazing', 'Dreamy', 'Wandering', 'Hidden', 'Noble', 'Rogue', 'Chibi', 'Kawaii', 'Stoic',
  'Tsundere', 'Dandere', 'Genki', 'Sakura', 'Neon', 'Cosmic', 'Ancient', 'Swift', 'Lucky', 'Cursed',
  'Blessed', 'Moonlit', 'Starry', 'Thunder', 'Misty', 'Velvet', 'Crystal', 'Ember', 'Phantom', 'Serene',
  'Reckless', 'Clever', 'Quiet', 'Wild', 'Spirited', 'Valiant', 'Whimsical', 'Mighty', 'Tiny', 'Eternal',
  'Twilight', 'Dawnlit', 'Electric', 'Arcane', 'Hungry', 'Curious', 'Loyal', 'Sneaky', 'Cheerful', 'Drowsy',
];

export const ANIME_NOUNS = [
  'Kitsune', 'Ronin', 'Samurai', 'Ninja', 'Shinobi', 'Senpai', 'Kohai', 'Sensei', 'Miko', 'Oni',
  'Tanuki', 'Tengu', 'Kappa', 'Yokai', 'Dragon', 'Phoenix', 'Mecha', 'Pilot', 'Idol', 'Mage',
  'Witch', 'Paladin', 'Knight', 'Ranger', 'Hero', 'Villain', 'Rival', 'Protagonist', 'Sidekick', 'Transfer',
  'Neko', 'Inu', 'Usagi', 'Kirin', 'Baku', 'Nekomata', 'Spirit', 'Shikigami', 'Onmyoji', 'Exorcist',
  'Alchemist', 'Summoner', 'Swordsman', 'Archer', 'Bard', 'Healer', 'Tamer', 'Adventurer', 'Guildmaster', 'Princess',
  'Prince', 'Shogun', 'Daimyo', 'Geisha', 'Monk', 'Pirate', 'Captain', 'Detective', 'Hacker', 'Android',
  'Slime', 'Golem', 'Wyvern', 'Sprite', 'Familiar', 'Reaper', 'Vampire', 'Catgirl', 'Esper', 'Chosen',
];
