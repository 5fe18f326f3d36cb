// The vendored setup.ts calls dotenv.config(); here the environment comes from the emulator's
// global setup instead of a .env file, so loading one would be wrong, not just unnecessary.
const dotenv = { config: () => ({ parsed: {} }) };
export default dotenv;
