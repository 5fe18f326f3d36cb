// Same loading boundary as /dashboard, so the two pages stream the same way.
export { default } from '@/app/dashboard/loading';
